using System.Text.Json.Nodes;
using Tessera.NN;

namespace Tessera.Core.Tests.NN;

public class ModuleSpecTests
{
    public static TheoryData<string> ModuleJsons() => new()
    {
        new Linear(3, 2, bias: false).ToSpec().ToJson(),
        new BatchNorm1d(4, eps: 1e-3, momentum: 0.2).ToSpec().ToJson(),
        new BatchNorm2d(4, affine: false).ToSpec().ToJson(),
        new LayerNorm([2, 3], eps: 1e-6).ToSpec().ToJson(),
        new Dropout(0.25).ToSpec().ToJson(),
        new Embedding(7, 2).ToSpec().ToJson(),
        new LeakyReLU(0.2).ToSpec().ToJson(),
        new Softmax(0).ToSpec().ToJson(),
        new LogSoftmax(1).ToSpec().ToJson(),
        new Flatten(2, 3).ToSpec().ToJson(),
        Models.Mlp([784, 256, 128, 10]).ToSpec().ToJson(),
        new Sequential(new Tanh(), new Sigmoid(), new GELU(), new ReLU()).ToSpec().ToJson(),
    };

    [Theory]
    [MemberData(nameof(ModuleJsons))]
    public void FromJson_ToSpec_RoundTrips(string json)
    {
        var rebuilt = ModuleFactory.FromJson(json);
        Assert.Equal(json, rebuilt.ToSpec().ToJson());
    }

    [Fact]
    public void Rebuilt_Model_HasSameParameterShapes()
    {
        var model = Models.Mlp([10, 5, 2]);
        var rebuilt = ModuleFactory.Create(model.ToSpec());
        Assert.Equal(model.NamedParameters().Select(p => (p.Name, string.Join(",", p.Parameter.ShapeToArray()))),
            rebuilt.NamedParameters().Select(p => (p.Name, string.Join(",", p.Parameter.ShapeToArray()))));
    }

    [Theory]
    [InlineData("""{"type":"System.IO.File"}""", "not allowed")]
    [InlineData("""{"type":"Linear"}""", "inFeatures")]
    [InlineData("""{"type":"Linear","options":{"inFeatures":"x","outFeatures":2}}""", "integer")]
    [InlineData("""{"type":"Linear","options":{"inFeatures":0,"outFeatures":2}}""", "inFeatures")]
    [InlineData("""{"type":"Linear","options":{"inFeatures":1000000,"outFeatures":1000000}}""", "limit")]
    [InlineData("""{"type":"Dropout","options":{"p":2}}""", "Dropout")]
    [InlineData("""{"type":"ReLU","children":[{"type":"ReLU"}]}""", "no children")]
    [InlineData("""{"type":"LayerNorm","options":{"normalizedShape":[]}}""", "normalizedShape")]
    [InlineData("""{"type":"Conv2d","options":{"inChannels":3,"outChannels":6,"kernelSize":[1,2,3]}}""", "kernelSize")]
    [InlineData("""{"type":"MaxPool2d","options":{"kernelSize":0}}""", "kernelSize")]
    public void FromJson_BadSpec_ThrowsNamingProblem(string json, string fragment)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => ModuleFactory.FromJson(json));
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("""{"type":""}""")]
    [InlineData("[1,2]")]
    public void FromJson_Malformed_ThrowsFormatException(string json) => Assert.Throws<FormatException>(() => ModuleFactory.FromJson(json));

    [Fact]
    public void FromJson_DeepNesting_Throws()
    {
        var json = string.Concat(Enumerable.Repeat("""{"type":"Sequential","children":[""", 40)) + """{"type":"ReLU"}""" + new string(']', 1) ;
        for (var i = 0; i < 40; i++)
        {
            json += i == 0 ? "}" : "]}";
        }

        Assert.ThrowsAny<Exception>(() => ModuleFactory.FromJson(json));
    }

    [Fact]
    public void AllowedTypes_ListsCoreLayers()
    {
        Assert.Contains("Linear", ModuleFactory.AllowedTypes);
        Assert.Contains("Conv2d", ModuleFactory.AllowedTypes);
        Assert.DoesNotContain("Module", ModuleFactory.AllowedTypes);
    }

    [Fact]
    public void GetOptions_Validate()
    {
        var spec = new ModuleSpec("X", new JsonObject { ["a"] = 1, ["b"] = 1.5, ["c"] = true, ["n"] = double.NaN.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(1, spec.GetInt("a"));
        Assert.Equal(1.5, spec.GetDouble("b"));
        Assert.True(spec.GetBool("c", false));
        Assert.Equal(3, spec.GetInt("missing", 3));
        Assert.Throws<ArgumentException>(() => spec.GetInt("b"));
        Assert.Throws<ArgumentException>(() => spec.GetInt("missing"));
        Assert.Throws<ArgumentException>(() => spec.GetBool("a", false));
        Assert.Throws<ArgumentException>(() => spec.GetDouble("n"));
    }

    [Fact]
    public void ModuleSpec_EmptyType_Throws() => Assert.Throws<ArgumentException>(() => new ModuleSpec(" "));
}
