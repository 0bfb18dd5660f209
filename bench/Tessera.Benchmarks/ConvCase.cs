namespace Tessera.Benchmarks;

/// <summary>One convolution shape: input N x C x H x W, OutChannels filters of Kernel x Kernel.</summary>
internal sealed record ConvCase(
    string Name, int N, int InChannels, int Height, int Width, int OutChannels, int Kernel, int Stride, int Padding)
{
    public string Describe()
        => $"N={N} {InChannels}x{Height}x{Width} -> {OutChannels}@{Kernel}x{Kernel}" + (Padding > 0 ? $" pad {Padding}" : "");
}
