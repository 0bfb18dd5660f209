namespace Tessera.Benchmarks;

/// <summary>A model as its trainable parameters and its forward function; input is [B, 1, 28, 28].</summary>
internal sealed record TensorModel(IReadOnlyList<Tensor> Parameters, Func<Tensor, Tensor> Forward);
