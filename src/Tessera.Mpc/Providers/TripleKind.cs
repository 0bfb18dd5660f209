namespace Tessera.Mpc.Providers;

/// <summary>The bilinear map a Beaver triple serves: c = a (op) b.</summary>
public enum TripleKind
{
    /// <summary>Elementwise product of two equally long vectors.</summary>
    Elementwise,

    /// <summary>Matrix product of an m x k by a k x n matrix.</summary>
    MatMul,

    /// <summary>2-D convolution of images [N, C, H, W] with kernels [O, C, kh, kw] (stride and padding in the request).</summary>
    Conv2d,

    /// <summary>Elementwise square: a random a and c = a * a (b is empty), for x * x with half the opening.</summary>
    Square,
}
