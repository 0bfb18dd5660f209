using Tessera.Mpc.Encoding;

namespace Tessera.Mpc.Tests;

public sealed class FixedPointEncoderTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(8)]
    [InlineData(24)]
    public void EncodeDecode_RoundTrip_WithinHalfUlp(int bits)
    {
        var encoder = new FixedPointEncoder(bits);
        var values = MpcHarness.Uniform(1000, -1000, 1000, seed: bits).Append(0).Append(-1e-9).ToArray();

        var decoded = encoder.Decode(encoder.Encode(values));

        for (var i = 0; i < values.Length; i++)
        {
            Assert.True(Math.Abs(decoded[i] - values[i]) <= Math.ScaleB(1.0, -bits - 1), $"{values[i]} -> {decoded[i]}");
        }
    }

    [Fact]
    public void Encode_Negative_IsTwosComplement()
    {
        var encoder = new FixedPointEncoder();

        var encoded = encoder.Encode([-1.0, 1.5]);

        Assert.Equal(unchecked((ulong)-(1L << 16)), encoded[0]);
        Assert.Equal(3UL << 15, encoded[1]);
    }

    [Fact]
    public void Encode_Tensor_KeepsShape()
    {
        var encoder = new FixedPointEncoder();
        var values = Tensor.FromArray(new float[] { 1, -2, 3.25f, 0 }, 2, 2);

        var decoded = encoder.Decode(encoder.Encode(values));

        Assert.Equal(new[] { 2, 2 }, decoded.ShapeToArray());
        Assert.Equal(new[] { 1, -2, 3.25, 0 }, decoded.ToArray<double>());
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(140737488355328.0)]
    [InlineData(-140737488355328.0)]
    public void Encode_OutOfRange_Throws(double value)
    {
        var encoder = new FixedPointEncoder();

        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Encode([value]));
    }

    [Fact]
    public void Encode_JustInsideRange_RoundTrips()
    {
        var encoder = new FixedPointEncoder();
        var value = encoder.MaxMagnitude - 1;

        Assert.Equal(value, encoder.Decode(encoder.Encode([value]))[0]);
        Assert.Equal(-value, encoder.Decode(encoder.Encode([-value]))[0]);
    }

    [Fact]
    public void Arguments_Invalid_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedPointEncoder(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedPointEncoder(53));
        var encoder = new FixedPointEncoder();
        Assert.Throws<ArgumentException>(() => encoder.Encode([1.0, 2.0], new ulong[1]));
        Assert.Throws<ArgumentException>(() => encoder.Decode(Tensor.Zeros([2], DType.Float64)));
    }
}
