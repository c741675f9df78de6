using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StatefunOperator.Module;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Runtime.Tests.Egress;

/// <summary>
/// Issue 9 item 4: an exactly-once egress whose transaction timeout the broker would reject stops the
/// runtime (exit code 2) naming <c>deliverySemantic.transactionTimeoutMillis</c>. librdkafka's mock
/// cluster does not answer DescribeConfigs and accepts any transaction timeout, so the tests on a private
/// mock cluster prove the fallback (an INVALID_TRANSACTION_TIMEOUT pushed onto InitProducerId); the
/// broker-limit path runs on a real broker.
/// </summary>
public class TransactionTimeoutBrokerTests
{
    private const short InitProducerIdApiKey = 22;
    private const int InvalidTransactionTimeout = 50;

    private static KafkaEgressOptions Egress(string address, long timeoutMillis) =>
        new(new TypeName("example", "greetings"), address, KafkaProducerSemantic.ExactlyOnce, TimeSpan.FromMilliseconds(timeoutMillis), new Dictionary<string, string>());

    private static string Module(string bootstrap, string input, long timeoutMillis) => $"""
        kind: io.statefun.kafka.v1/ingress
        spec:
          id: test/mirror-in
          address: {bootstrap}
          consumerGroupId: {KafkaTestBroker.UniqueName("txn-timeout")}
          startupPosition:
            type: earliest
          topics:
            - topic: {input}
              egress: example/greetings
              egressTopic: {input}-out
        ---
        kind: io.statefun.kafka.v1/egress
        spec:
          id: example/greetings
          address: {bootstrap}
          deliverySemantic:
            type: exactly-once
            transactionTimeoutMillis: {timeoutMillis}
        """;

    [Fact]
    public async Task OnABrokerWithoutDescribeConfigs_TheLimitIsUnknown_SoInitTransactionsDecides()
    {
        using var cluster = MockKafkaCluster.Start(1);

        var limit = await TransactionTimeoutCheck.ReadBrokerLimitAsync(Egress(cluster.BootstrapServers, 1_000_000), TestLogging.Logger("check"), TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.False(limit.IsKnown);
        Assert.StartsWith("the broker does not support DescribeConfigs", limit.UnknownReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableBroker_DoesNotHoldUpTheStart()
    {
        var stopwatch = Stopwatch.StartNew();

        var limit = await TransactionTimeoutCheck.ReadBrokerLimitAsync(Egress($"127.0.0.1:{ClosedPort()}", 1_000_000), TestLogging.Logger("check"), TimeSpan.FromSeconds(2), CancellationToken.None);

        Assert.False(limit.IsKnown);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public async Task TheRuntime_ExitsWithCode2_NamingTheField_WhenInitTransactionsRejectsTheTimeout()
    {
        using var cluster = MockKafkaCluster.Start(1);
        var input = KafkaTestBroker.UniqueName("txn-in");
        cluster.CreateTopic(input, 1);
        // The broker's answer to a timeout above its transaction.max.timeout.ms.
        cluster.PushRequestErrors(InitProducerIdApiKey, InvalidTransactionTimeout);

        var (exitCode, errors) = await RunRuntimeAsync(Module(cluster.BootstrapServers, input, 1_000_000));

        Assert.Equal(2, exitCode);
        Assert.Contains(
            "egress example/greetings: deliverySemantic.transactionTimeoutMillis: 1000000 is larger than the broker's transaction.max.timeout.ms (not readable here; the broker rejected the timeout with INVALID_TRANSACTION_TIMEOUT); lower it or raise the broker setting",
            errors,
            StringComparison.Ordinal);
    }

    [RealBrokerFact]
    public async Task ARealBroker_SaysItsLimit()
    {
        var broker = await KafkaTestBroker.GetRealAsync();

        var limit = await TransactionTimeoutCheck.ReadBrokerLimitAsync(Egress(broker.BootstrapServers, 60_000), TestLogging.Logger("check"), TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.True(limit.IsKnown, limit.UnknownReason);
        Assert.True(limit.MaxTimeoutMillis > 0);
    }

    [RealBrokerFact]
    public async Task TheRuntime_ExitsWithCode2_NamingTheFieldAndBothValues_WhenTheTimeoutIsAboveTheBrokersLimit()
    {
        var broker = await KafkaTestBroker.GetRealAsync();
        var input = KafkaTestBroker.UniqueName("txn-in");
        await broker.CreateTopicAsync(input, 1);

        var (exitCode, errors) = await RunRuntimeAsync(Module(broker.BootstrapServers, input, 2_000_000_000));

        Assert.Equal(2, exitCode);
        Assert.Contains(
            "egress example/greetings: deliverySemantic.transactionTimeoutMillis: 2000000000 is larger than the broker's transaction.max.timeout.ms (",
            errors,
            StringComparison.Ordinal);
        Assert.DoesNotContain("not readable here", errors, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Errors)> RunRuntimeAsync(string moduleYaml)
    {
        var dir = TestScratch.Create("txn-timeout-");
        var module = Path.Combine(dir.FullName, "module.yaml");
        await File.WriteAllTextAsync(module, moduleYaml);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "statefun-runtime.dll"));
        start.ArgumentList.Add("--module");
        start.ArgumentList.Add(module);
        start.Environment["STATEFUN_HEALTH_URLS"] = "http://127.0.0.1:0";

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the runtime did not stop within 60 s; its output: " + await output);
        }

        return (process.ExitCode, await errors + await output);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
