using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace StatefunOperator.Testing.Kafka;

/// <summary>
/// The brokers the Kafka tests of a test run share (see <see cref="KafkaBrokerChoice"/> for which): one for every
/// test (<see cref="GetAsync"/>) and one with real transactions for the real-broker tests (<see cref="GetRealAsync"/>;
/// the same one where the first is a real Kafka). Tests isolate themselves with their own topics and groups
/// (<see cref="UniqueName"/>). When a broker cannot be had, using it throws with a message saying what was tried:
/// the test fails, it is not skipped.
/// </summary>
public sealed class KafkaTestBroker
{
    /// <summary>
    /// A file (set by <c>make test</c>) to which each test process appends the real-broker tests' broker, one line
    /// each, for the run's summary.
    /// </summary>
    public const string RealBrokerRecordVariable = "STATEFUN_REAL_BROKER_RECORD";

    // The tests that take a broker run hosts in-process: their stores go to the test run's directory (TestScratch).
    private static readonly Lazy<Task<KafkaTestBroker>> Shared = new(() =>
    {
        TestScratch.Prepare();
        return StartAsync(KafkaBrokerChoice.Decide());
    });

    private static readonly Lazy<Task<KafkaTestBroker>> Real = new(() =>
    {
        TestScratch.Prepare();
        return StartRealAsync();
    });
    private readonly LocalMockBrokerProcess? _mock;

    private KafkaTestBroker(KafkaBrokerKind kind, string bootstrapServers, bool isMock, string description, LocalMockBrokerProcess? mock)
    {
        Kind = kind;
        BootstrapServers = bootstrapServers;
        IsMock = isMock;
        Description = description;
        _mock = mock;
    }

    public KafkaBrokerKind Kind { get; }

    public string BootstrapServers { get; }

    /// <summary>True on librdkafka's mock cluster (no offsets-for-times, no read_committed filtering).</summary>
    public bool IsMock { get; }

    /// <summary>Which broker and where, e.g. <c>kfake 9b1d94b9+5 (sha256 ...) at 127.0.0.1:40123</c>.</summary>
    public string Description { get; }

    /// <summary>The broker of the tests that run on any broker (the mock where nothing else is named).</summary>
    public static Task<KafkaTestBroker> GetAsync() => Shared.Value;

    /// <summary>
    /// The broker with real transactions of the real-broker tests; throws where there is none (such tests are
    /// skipped there by <see cref="RealBrokerFactAttribute"/> and counted aloud).
    /// </summary>
    public static Task<KafkaTestBroker> GetRealAsync() => Real.Value;

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public async Task CreateTopicAsync(string topic, int partitions)
    {
        if (_mock is not null)
        {
            await _mock.CreateTopicAsync(topic, partitions).ConfigureAwait(false);
            return;
        }

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = -1 }])
            .ConfigureAwait(false);
    }

    public IProducer<byte[], byte[]> CreateProducer() =>
        new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 1,
        }).Build();

    public IConsumer<byte[], byte[]> CreateConsumer(string groupId, bool readCommitted = true) =>
        new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers,
            GroupId = groupId,
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = readCommitted ? IsolationLevel.ReadCommitted : IsolationLevel.ReadUncommitted,
        }).Build();

    private static async Task<KafkaTestBroker> StartRealAsync()
    {
        var kind = KafkaBrokerChoice.DecideReal()
            ?? throw new InvalidOperationException(
                $"no broker with real transactions for the real-broker tests: KAFKA_BOOTSTRAP_SERVERS is not a real Kafka, no Docker engine answered, and {KafkaOracle.Find().Why}");
        var broker = kind == KafkaBrokerChoice.Decide()
            ? await GetAsync().ConfigureAwait(false)
            : await StartAsync(kind).ConfigureAwait(false);
        if (Environment.GetEnvironmentVariable(RealBrokerRecordVariable) is { Length: > 0 } record)
        {
            await File.AppendAllTextAsync(record, broker.Description + Environment.NewLine).ConfigureAwait(false);
        }

        return broker;
    }

    private static async Task<KafkaTestBroker> StartAsync(KafkaBrokerKind kind)
    {
        switch (kind)
        {
            case KafkaBrokerKind.External:
            case KafkaBrokerKind.LocalMock when Environment.GetEnvironmentVariable(KafkaBrokerChoice.BootstrapVariable) is { Length: > 0 }:
                var external = Environment.GetEnvironmentVariable(KafkaBrokerChoice.BootstrapVariable)!;
                var isMock = KafkaBrokerChoice.ExternalIsMock;
                return new KafkaTestBroker(kind, external, isMock, $"{(isMock ? "a mock broker" : "Kafka")} at {external} (KAFKA_BOOTSTRAP_SERVERS)", null);
            case KafkaBrokerKind.KafkaOracle:
                var oracle = KafkaOracleProcess.Start();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => oracle.Dispose();
                return new KafkaTestBroker(kind, oracle.BootstrapServers, false, $"{oracle.Build} at {oracle.BootstrapServers}", null);
            case KafkaBrokerKind.Testcontainers:
                var container = KafkaContainerFactory.Create();
                try
                {
                    await container.StartAsync().ConfigureAwait(false);
                }
                catch (Exception e)
                {
                    throw new InvalidOperationException(
                        "a Docker engine answered but the Kafka container did not start (Testcontainers.Kafka); set KAFKA_BOOTSTRAP_SERVERS to use another broker",
                        e);
                }

                AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
                var address = container.GetBootstrapAddress();
                return new KafkaTestBroker(kind, address, false, $"a Kafka container ({KafkaContainerFactory.Image}) at {address}", null);
            default:
                var mock = LocalMockBrokerProcess.Start();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => mock.Dispose();
                return new KafkaTestBroker(kind, mock.BootstrapServers, true, $"librdkafka's mock cluster at {mock.BootstrapServers}", mock);
        }
    }
}
