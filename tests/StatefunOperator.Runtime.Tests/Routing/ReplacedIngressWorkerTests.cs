using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using StatefunOperator.Testing;
using StatefunOperator.Runtime.Protocol;
using StatefunOperator.Runtime.Tests.FunctionHost;
using StatefunOperator.Runtime.Tests.Support;
using StatefunOperator.Testing.Kafka;
using Xunit.Abstractions;

namespace StatefunOperator.Runtime.Tests.Routing;

/// <summary>
/// What a weaker broker cannot show: an exactly-once ingress worker SIGKILLed inside a transaction leaves it open on
/// the broker. Its replacement comes up under another name (a Deployment's new pod: a new transactional id), so it
/// cannot fence the dead one's transaction; the inbox's last stable offset stays behind it, and read_committed readers
/// of the inbox (the function hosts) see nothing new until the broker aborts it at its transaction timeout (the
/// host's 10 s default; Apache Kafka checks for expired transactions every 10 s more, so up to ~20 s there).
/// </summary>
public sealed class ReplacedIngressWorkerTests
{
    private const int Records = 4_000;
    private static readonly TimeSpan WriteOver = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Gap = TimeSpan.FromSeconds(1);
    private readonly ITestOutputHelper _output;

    public ReplacedIngressWorkerTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [RealBrokerFact]
    public async Task E6_R1_AnExactlyOnceIngressKilledInsideATransaction_AndReplacedUnderAnotherName_StallsInboxReadersOnlyUntilTheBrokerAbortsIt()
    {
        var broker = await KafkaTestBroker.GetRealAsync();
        var input = await TestTopic.CreateAsync("replace-in", partitions: 1, broker);
        var module = HostTestModule.Write(broker.BootstrapServers, "test", input.Name, port: 9, "exactly-once", partitions: 2);
        var host = module.Configuration.Endpoints[0].Host!;
        await broker.CreateTopicAsync(host.InboxTopic, host.Partitions);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var committed = new InboxWatch(broker, host.InboxTopic, host.Partitions, readCommitted: true);
        var uncommitted = new InboxWatch(broker, host.InboxTopic, host.Partitions, readCommitted: false);
        var watching = new[] { committed.RunAsync(stop.Token), uncommitted.RunAsync(stop.Token) };
        var writing = Task.Run(() => Write(broker, input.Name, stop.Token));

        using (var first = Ingress(module, "ingress-a"))
        {
            await WaitAsync(() => committed.Count >= 300, TimeSpan.FromSeconds(60), $"records did not reach the inbox; see {module.Directory}");
            first.Kill();
        }

        var killedAt = DateTime.UtcNow;
        using var replacement = Ingress(module, "ingress-b");
        await Task.Delay(TimeSpan.FromSeconds(1));
        var (seenCommitted, seenAll) = (committed.Count, uncommitted.Count);
        Assert.True(
            seenAll > seenCommitted,
            $"the kill did not land inside a transaction with records on the broker (read_uncommitted {seenAll}, read_committed {seenCommitted})");

        await WaitAsync(() => committed.Distinct >= Records, TimeSpan.FromSeconds(90), $"the inbox did not get every record; see {module.Directory}");
        await stop.CancelAsync();
        await Task.WhenAll(watching);
        await writing;

        var stall = committed.FirstGapEndAfter(killedAt, Gap) - killedAt;
        _output.WriteLine(
            $"{broker.Description}: read_committed readers of the inbox saw nothing new for {stall.TotalSeconds:F1} s after the kill (open transaction: {seenAll - seenCommitted} records past the last stable offset 1 s after it); limit {StallLimit.TotalSeconds:F0} s");
        Assert.True(stall <= StallLimit, $"records flowed again only {stall.TotalSeconds:F1} s after the kill; see {module.Directory}");
        Assert.Equal(Records, committed.Count);
    }

    private static RuntimeProcess Ingress(HostTestModule module, string name) =>
        RuntimeProcess.Start(module.Path, module.Log(name), new Dictionary<string, string> { ["STATEFUN_INSTANCE_ID"] = name }, ["--role", "ingress"]);

    private static void Write(KafkaTestBroker broker, string topic, CancellationToken cancellationToken)
    {
        using var producer = broker.CreateProducer();
        var pause = WriteOver / (Records / 20);
        for (var i = 0; i < Records && !cancellationToken.IsCancellationRequested; i++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"user-{i % 20}");
            producer.Produce(topic, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(key), Value = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"n-{i}")) });
            if (i % 20 == 19)
            {
                Thread.Sleep(pause);
            }
        }

        producer.Flush(TimeSpan.FromSeconds(30));
    }

    private static async Task WaitAsync(Func<bool> done, TimeSpan limit, string failure)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!done() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(done(), failure);
    }

    /// <summary>Reads the inbox from its beginning and notes when each envelope arrived.</summary>
    private sealed class InboxWatch(KafkaTestBroker broker, string topic, int partitions, bool readCommitted)
    {
        private readonly ConcurrentQueue<DateTime> _arrivals = new();
        private readonly ConcurrentDictionary<string, int> _values = new(StringComparer.Ordinal);

        public int Count => _arrivals.Count;

        public int Distinct => _values.Count;

        public Task RunAsync(CancellationToken cancellationToken) => Task.Run(
            () =>
            {
                using var reader = broker.CreateConsumer(KafkaTestBroker.UniqueName("inbox-watch"), readCommitted);
                reader.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
                while (!cancellationToken.IsCancellationRequested)
                {
                    if (reader.Consume(TimeSpan.FromMilliseconds(50)) is { IsPartitionEOF: false } record)
                    {
                        var value = Envelope.Parser.ParseFrom(record.Message.Value).Argument.Value.ToStringUtf8();
                        _values.AddOrUpdate(value, 1, (_, n) => n + 1);
                        _arrivals.Enqueue(DateTime.UtcNow);
                    }
                }

                reader.Close();
            },
            CancellationToken.None);

        /// <summary>The first arrival after <paramref name="from"/> that follows a silence of at least <paramref name="gap"/>.</summary>
        public DateTime FirstGapEndAfter(DateTime from, TimeSpan gap)
        {
            var arrivals = _arrivals.ToArray();
            for (var i = 1; i < arrivals.Length; i++)
            {
                if (arrivals[i] > from && arrivals[i] - arrivals[i - 1] >= gap)
                {
                    return arrivals[i];
                }
            }

            throw new Xunit.Sdk.XunitException($"no silence of {gap.TotalSeconds:F0} s after the kill: the replacement cannot have been held back by an open transaction");
        }
    }
}
