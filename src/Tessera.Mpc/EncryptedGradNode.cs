namespace Tessera.Mpc;

/// <summary>
/// One recorded operation of the encrypted autograd tape: its inputs and the asynchronous function that maps the
/// gradient of the output to the gradients of the inputs (null for an input that needs none). Backward functions
/// communicate, so every party must record and replay the same tape in the same order.
/// </summary>
internal sealed class EncryptedGradNode(
    string name, EncryptedTensor[] inputs, Func<EncryptedTensor, CancellationToken, ValueTask<EncryptedTensor?[]>> backward)
{
    public string Name { get; } = name;

    public EncryptedTensor[] Inputs { get; } = inputs;

    public Func<EncryptedTensor, CancellationToken, ValueTask<EncryptedTensor?[]>> Backward { get; } = backward;
}
