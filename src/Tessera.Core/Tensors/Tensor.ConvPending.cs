namespace Tessera;

// Temporary until the convolution kernels land from their branch; replaced on merge.
public sealed partial class Tensor
{
    /// <summary>Pending.</summary>
    /// <param name="weight">w.</param>
    /// <param name="bias">b.</param>
    /// <param name="stride">s.</param>
    /// <param name="padding">p.</param>
    /// <param name="dilation">d.</param>
    /// <param name="groups">g.</param>
    public Tensor Conv2d(Tensor weight, Tensor? bias, (int, int) stride, (int, int) padding, (int, int) dilation, int groups)
        => throw new NotSupportedException();

    /// <summary>Pending.</summary>
    /// <param name="kernelSize">k.</param>
    /// <param name="stride">s.</param>
    /// <param name="padding">p.</param>
    public Tensor MaxPool2d((int, int) kernelSize, (int, int) stride, (int, int) padding) => throw new NotSupportedException();

    /// <summary>Pending.</summary>
    /// <param name="kernelSize">k.</param>
    /// <param name="stride">s.</param>
    /// <param name="padding">p.</param>
    public Tensor AvgPool2d((int, int) kernelSize, (int, int) stride, (int, int) padding) => throw new NotSupportedException();
}
