using StatefunOperator.Operator.Hosting;

namespace StatefunOperator.Operator.Tests.Hosting;

public class CommandLineTests
{
    [Fact]
    public void Options_InBothForms_BecomeOperatorOptions()
    {
        var commandLine = CommandLine.Parse(["run", "--runtime-image=img:1", "--namespace", "shop", "--leader-election=false", "--workers", "8", "--identity=me"]);
        var options = commandLine.ToOperatorOptions();
        Assert.Equal("run", commandLine.Command);
        Assert.Equal(("img:1", "shop", false, 8, "me"), (options.RuntimeImage, options.WatchNamespace, options.LeaderElection, options.Workers, options.Identity));
    }

    [Fact]
    public void NoCommand_MeansRun()
    {
        Assert.Equal("run", CommandLine.Parse(["--workers", "2"]).Command);
        Assert.Equal("manifests", CommandLine.Parse(["manifests", "--output", "out"]).Command);
    }

    [Fact]
    public void StrayArgument_IsRejectedWithUsage()
    {
        var error = Assert.Throws<ArgumentException>(() => CommandLine.Parse(["run", "oops"]));
        Assert.Contains("usage:", error.Message, StringComparison.Ordinal);
    }
}
