using Tessera.Mpc.Communication;

namespace Tessera.Mpc.Tests;

public sealed class CommunicationStatisticsTests
{
    [Fact]
    public void Counters_AddUpInAllAndPerOperation()
    {
        var stats = new CommunicationStatistics();
        stats.AddSent("mul", 100);
        stats.AddSent("relu", 20);
        stats.AddReceived("mul", 80);
        stats.AddRound("mul");
        stats.AddRound("mul");

        Assert.Equal(120, stats.BytesSent);
        Assert.Equal(80, stats.BytesReceived);
        Assert.Equal(2, stats.Rounds);
        Assert.Equal(100, stats.ByOperation["mul"].BytesSent);
        Assert.Equal(2, stats.ByOperation["mul"].Rounds);
        Assert.Equal(20, stats.ByOperation["relu"].BytesSent);
    }
}
