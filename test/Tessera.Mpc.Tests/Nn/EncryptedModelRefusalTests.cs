using Tessera.Mpc.Nn;
using Tessera.NN;

namespace Tessera.Mpc.Tests.Nn;

/// <summary>Misuse of <see cref="EncryptedModel"/> is refused with messages that say what was wrong, on every party.</summary>
public sealed class EncryptedModelRefusalTests
{
    [Fact]
    public async Task EncryptAsync_UnsupportedLayer_RefusedOnEveryPartyNamingTheLayer()
    {
        var model = new Sequential(new Linear(4, 3), new Sigmoid());
        var run = await MpcHarness.RunAsync(3, async session =>
        {
            var error = await Record.ExceptionAsync(() => EncryptedModel.EncryptAsync(session, 1, session.Rank == 1 ? model : null));
            return error;
        });

        foreach (var error in run.Results)
        {
            var refusal = Assert.IsType<NotSupportedException>(error);
            Assert.Contains("'model.1' (Sigmoid)", refusal.Message, StringComparison.Ordinal);
        }
    }

    public static TheoryData<byte[], string> BadArchitectures => new()
    {
        { [], "no valid architecture" },
        { [7, 1, 2], "no valid architecture" },
        { [3, .. "{\"type\":\"ReLU\"}"u8], "no valid architecture" },
        { [2, .. "{not json"u8], "cannot be built" },
        { [0, .. "{not json"u8], "cannot be built" },
        { [0, .. "{\"type\":\"Linear\",\"options\":{\"inFeatures\":2000000000,\"outFeatures\":2000000000}}"u8], "Linear" },
        { [0, .. "{\"type\":\"Exec\"}"u8], "cannot be built" },
    };

    [Theory]
    [MemberData(nameof(BadArchitectures))]
    public async Task EncryptAsync_OwnerSendsABadArchitecture_OthersRefuseItNamingTheProblem(byte[] frame, string expected)
    {
        // Party 0 plays a broken or hostile owner: it sends the frame by hand instead of calling EncryptAsync.
        var run = await MpcHarness.RunAsync(2, async session =>
        {
            if (session.Rank == 0)
            {
                await session.Communicator.SendAsync(1, frame);
                return null;
            }

            return await Record.ExceptionAsync(() => EncryptedModel.EncryptAsync(session, 0, null));
        });

        var error = Assert.IsType<InvalidDataException>(run.Results[1]);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EncryptAsync_CustomLayer_RefusedOnEveryPartyWithoutAskingItsSpec()
    {
        var model = new Sequential(new Linear(2, 2), new Custom());
        var run = await MpcHarness.RunAsync(2, async session =>
            await Record.ExceptionAsync(() => EncryptedModel.EncryptAsync(session, 0, session.Rank == 0 ? model : null)));

        Assert.All(run.Results, e => Assert.Contains("'model.1' (Custom)", Assert.IsType<NotSupportedException>(e).Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EncryptAsync_GroupedConvolution_RefusedNamingTheProblem()
    {
        var model = new Sequential(new Conv2d(4, 4, (3, 3), groups: 2));
        var run = await MpcHarness.RunAsync(2, async session =>
            await Record.ExceptionAsync(() => EncryptedModel.EncryptAsync(session, 0, session.Rank == 0 ? model : null)));

        Assert.All(run.Results, e => Assert.Contains("'model.0' (Conv2d with groups 2", e!.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ForwardAsync_WrongInputShape_ThrowsNamingLayerAndShape()
    {
        var model = new Sequential(new Linear(4, 3));
        var run = await MpcHarness.RunAsync(2, async session =>
        {
            var encrypted = await EncryptedModel.EncryptAsync(session, 0, session.Rank == 0 ? model : null);
            var x = EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? Tensor.Zeros([2, 5], DType.Float64) : null, 2, 5);
            return await Record.ExceptionAsync(async () => await encrypted.ForwardAsync(x));
        });

        Assert.All(run.Results, e =>
        {
            var error = Assert.IsType<ArgumentException>(e);
            Assert.Contains("Linear(4, 3) expects [..., 4], got [2, 5]", error.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task ForwardAsync_ImagesWithWrongChannels_ThrowsNamingLayerAndShape()
    {
        var model = Models.LeNet5(random: new SeededRandomSource(1));
        var run = await MpcHarness.RunAsync(2, async session =>
        {
            var encrypted = await EncryptedModel.EncryptAsync(session, 0, session.Rank == 0 ? model : null);
            var x = EncryptedTensor.Encrypt(session, 1, session.Rank == 1 ? Tensor.Zeros([1, 3, 28, 28], DType.Float64) : null, 1, 3, 28, 28);
            return await Record.ExceptionAsync(async () => await encrypted.ForwardAsync(x));
        });

        Assert.All(run.Results, e => Assert.Contains("expects [N, 1, H, W]", Assert.IsType<ArgumentException>(e).Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EncryptAsync_NonOwnerPassesModule_ThrowsOnThatParty()
    {
        var model = new Sequential(new Linear(2, 2));
        var run = await MpcHarness.RunAsync(2, async session =>
            await Record.ExceptionAsync(() => EncryptedModel.EncryptAsync(session, 0, model)));

        Assert.Null(run.Results[0]);
        var error = Assert.IsType<ArgumentException>(run.Results[1]);
        Assert.Contains("Only the owner (party 0) passes the module", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EncryptAsync_OwnerPassesNull_Throws()
    {
        var run = await MpcHarness.RunAsync(2, async session =>
            await Record.ExceptionAsync(() => session.Rank == 0 ? EncryptedModel.EncryptAsync(session, 0, null) : Task.FromResult<EncryptedModel>(null!)));

        Assert.Contains("must pass it; it passed null", Assert.IsType<ArgumentException>(run.Results[0]).Message, StringComparison.Ordinal);
    }

    private sealed class Custom : Module
    {
        public override Tensor Forward(Tensor input) => input;

        public override ModuleSpec ToSpec() => throw new InvalidOperationException("no spec");
    }
}
