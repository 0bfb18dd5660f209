namespace Tessera.Privacy.Tests;

public sealed class PrivacyParametersTests
{
    [Theory]
    [InlineData(-0.1, 0.0)]
    [InlineData(double.NaN, 0.0)]
    [InlineData(double.PositiveInfinity, 0.0)]
    [InlineData(1.0, -1e-9)]
    [InlineData(1.0, 1.0)]
    public void Constructor_OutOfRange_Throws(double epsilon, double delta)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PrivacyParameters(epsilon, delta));
    }

    [Fact]
    public void Constructor_Valid_KeepsValues()
    {
        var p = new PrivacyParameters(1.5, 1e-5);

        Assert.Equal(1.5, p.Epsilon);
        Assert.Equal(1e-5, p.Delta);
    }
}
