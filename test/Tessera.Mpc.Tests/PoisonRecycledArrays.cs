using System.Runtime.CompilerServices;
using Tessera.Mpc;

namespace Tessera.Mpc.Tests;

/// <summary>
/// Every test in this assembly runs with returned arrays overwritten (<see cref="RecycledArrays{T}.PoisonReturned"/>): a
/// protocol that hands back an array it still reads, or returns one its caller holds, gives wrong results here.
/// </summary>
internal static class PoisonRecycledArrays
{
    [ModuleInitializer]
    internal static void Enable()
    {
        RecycledArrays<ulong>.PoisonReturned = true;
        RecycledArrays<byte>.PoisonReturned = true;
    }
}
