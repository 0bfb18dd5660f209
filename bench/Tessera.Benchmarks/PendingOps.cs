using System.Reflection;

namespace Tessera.Benchmarks;

/// <summary>
/// Late binding to tensor ops that other engineers are still writing: <c>Tensor.Conv2d(weight, bias, stride,
/// padding, dilation, groups)</c> and <c>Tensor.MaxPool2d(kernelSize)</c>. Found by reflection so this program
/// builds and runs before they land and measures them the day they do.
/// </summary>
/// <remarks>
/// Once both ops are on main, replace <see cref="Conv2d"/> and <see cref="MaxPool2d"/> with direct calls and delete
/// this file. Reflection costs about a microsecond per call, which is noise beside a convolution.
/// </remarks>
internal static class PendingOps
{
    private static readonly MethodInfo? s_conv2d = Find("Conv2d", typeof(Tensor), typeof(Tensor), typeof(int), typeof(int));
    private static readonly MethodInfo? s_maxPool2d = Find("MaxPool2d", typeof(int));

    public static bool HasConv2d => s_conv2d is not null;

    public static bool HasMaxPool2d => s_maxPool2d is not null;

    public static string Conv2dMissing =>
        "not available: Tensor.Conv2d(Tensor weight, Tensor? bias, int stride, int padding, ...) is not in Tessera.Core yet";

    public static string MaxPool2dMissing => "not available: Tensor.MaxPool2d(int kernelSize) is not in Tessera.Core yet";

    /// <summary><c>input.Conv2d(weight, bias, stride, padding)</c>; dilation, groups and later options take their defaults.</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, int stride, int padding)
        => Invoke(s_conv2d, Conv2dMissing, input, weight, bias, stride, padding);

    /// <summary><c>input.MaxPool2d(kernelSize)</c>.</summary>
    public static Tensor MaxPool2d(Tensor input, int kernelSize) => Invoke(s_maxPool2d, MaxPool2dMissing, input, kernelSize);

    private static Tensor Invoke(MethodInfo? method, string missing, Tensor self, params object?[] leading)
    {
        if (method is null)
        {
            throw new NotSupportedException(missing);
        }

        var parameters = method.GetParameters();
        var args = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            args[i] = i < leading.Length ? leading[i] : parameters[i].DefaultValue;
        }

        try
        {
            return (Tensor)method.Invoke(self, args)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    /// <summary>A public instance method of <see cref="Tensor"/> whose first parameters have these types and whose others are optional.</summary>
    private static MethodInfo? Find(string name, params Type[] leading)
    {
        foreach (var method in typeof(Tensor).GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            if (method.Name != name || method.ReturnType != typeof(Tensor))
            {
                continue;
            }

            var parameters = method.GetParameters();
            if (parameters.Length < leading.Length)
            {
                continue;
            }

            var fits = true;
            for (var i = 0; i < parameters.Length && fits; i++)
            {
                fits = i < leading.Length ? parameters[i].ParameterType == leading[i] : parameters[i].HasDefaultValue;
            }

            if (fits)
            {
                return method;
            }
        }

        return null;
    }
}
