namespace Tessera;

/// <summary>One recorded operation: its inputs and the function that maps the output's gradient to theirs.</summary>
/// <param name="Name">The operation's name, for messages.</param>
/// <param name="Inputs">The operation's tensor inputs.</param>
/// <param name="Backward">Given the gradient of the output, the gradient of each input (null where not needed).</param>
internal sealed record GradNode(string Name, Tensor[] Inputs, Func<Tensor, Tensor?[]> Backward);
