namespace Tessera.NodeBench;

/// <summary>The node's resident set at one moment (or the largest in a phase), and its peak so far (VmHWM).</summary>
internal sealed record MemoryPoint(string When, double RssMiB, double PeakSoFarMiB);
