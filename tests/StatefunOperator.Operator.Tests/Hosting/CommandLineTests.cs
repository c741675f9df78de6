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
        Assert.Equal(("img:1", "shop", false, 8, "me"), (options.RuntimeImage, Assert.Single(options.WatchNamespaces), options.LeaderElection, options.Workers, options.Identity));
    }

    [Fact]
    public void K4_Namespaces_AreAList_EachWatchedOnce_AndNoneMeansAll()
    {
        var options = CommandLine.Parse(["run", "--namespaces", " team-a, team-b ,team-a,"]).ToOperatorOptions();
        Assert.Equal(["team-a", "team-b"], options.WatchNamespaces);
        Assert.Equal(["team-a", "team-b"], options.WatchScopes);
        Assert.Empty(options.Validate());

        var all = new OperatorOptions();
        Assert.Equal([null], all.WatchScopes);
    }

    [Fact]
    public void K4_ANamespaceThatCannotExist_IsRefusedNamingIt()
    {
        var options = new OperatorOptions { WatchNamespaces = ["team-a", "Team_B"] };
        var problem = Assert.Single(options.Validate());
        Assert.Contains("\"Team_B\"", problem, StringComparison.Ordinal);
        Assert.Contains("--namespaces", problem, StringComparison.Ordinal);
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
