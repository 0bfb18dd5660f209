namespace Tessera.Core.Tests.Tensors;

public class DTypeTests
{
    [Fact]
    public void DType_HasFiveMembers()
    {
        Assert.Equal(5, Enum.GetValues<DType>().Length);
    }
}
