namespace Tessera;

/// <summary>Controls whether operations record the graph that <see cref="Tensor.Backward"/> walks.</summary>
/// <remarks>The mode is per thread. <c>using (Autograd.NoGrad()) { ... }</c> turns recording off and restores the previous mode.</remarks>
public static class Autograd
{
    [ThreadStatic]
    private static bool t_disabled;

    /// <summary>Whether operations on this thread record gradients.</summary>
    public static bool IsEnabled => !t_disabled;

    /// <summary>Turns gradient recording off on this thread until the returned scope is disposed.</summary>
    public static IDisposable NoGrad() => new Scope(enabled: false);

    /// <summary>Turns gradient recording on on this thread until the returned scope is disposed.</summary>
    public static IDisposable EnableGrad() => new Scope(enabled: true);

    private sealed class Scope : IDisposable
    {
        private readonly bool _previousDisabled;
        private bool _disposed;

        public Scope(bool enabled)
        {
            _previousDisabled = t_disabled;
            t_disabled = !enabled;
        }

        public void Dispose()
        {
            if (!_disposed)
            {
                t_disabled = _previousDisabled;
                _disposed = true;
            }
        }
    }
}
