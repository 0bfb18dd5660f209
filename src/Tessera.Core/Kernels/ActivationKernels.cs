using System.Numerics;

namespace Tessera.Kernels;

/// <summary>Fused backward kernels for activations, so a backward pass costs one sweep instead of a chain of ops.</summary>
internal static class ActivationKernels
{
    /// <summary>d = y &gt; 0 ? g : 0, where y is the ReLU output.</summary>
    public static void ReluBackward<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> gradient, Span<T> destination)
        where T : unmanaged, INumber<T>
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            var zero = Vector<T>.Zero;
            for (; i <= output.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var mask = Vector.GreaterThan(new Vector<T>(output[i..]), zero);
                Vector.ConditionalSelect(mask, new Vector<T>(gradient[i..]), zero).CopyTo(destination[i..]);
            }
        }

        for (; i < output.Length; i++)
        {
            destination[i] = output[i] > T.Zero ? gradient[i] : T.Zero;
        }
    }
}
