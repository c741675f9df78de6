namespace StatefunOperator.Operator.Tests.Hosting;

public class OperatorOptionsTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        Assert.Empty(new OperatorOptions().Validate());
    }

    [Fact]
    public void Problems_SayWhichSettingToFix()
    {
        var problems = new OperatorOptions
        {
            RuntimeImage = " ",
            Workers = 0,
            LeaseDuration = TimeSpan.FromSeconds(1),
        }.Validate();
        Assert.Collection(
            problems,
            p => Assert.StartsWith("--runtime-image", p, StringComparison.Ordinal),
            p => Assert.StartsWith("leader election needs", p, StringComparison.Ordinal),
            p => Assert.StartsWith("--workers", p, StringComparison.Ordinal));
    }
}
