using Confluent.Kafka;
using Confluent.Kafka.Admin;

namespace StatefunOperator.Testing.Kafka;

/// <summary>
/// The broker every Kafka test of a test run shares (see <see cref="KafkaBrokerChoice"/> for which).
/// Tests isolate themselves with their own topics and groups (<see cref="UniqueName"/>). When no broker
/// can be had, using it throws with a message saying what was tried: the test fails, it is not skipped.
/// </summary>
public sealed class KafkaTestBroker
{
    private static readonly Lazy<Task<KafkaTestBroker>> Shared = new(StartAsync);
    private readonly LocalMockBrokerProcess? _mock;

    private KafkaTestBroker(KafkaBrokerKind kind, string bootstrapServers, bool isMock, LocalMockBrokerProcess? mock)
    {
        Kind = kind;
        BootstrapServers = bootstrapServers;
        IsMock = isMock;
        _mock = mock;
    }

    public KafkaBrokerKind Kind { get; }

    public string BootstrapServers { get; }

    /// <summary>True on librdkafka's mock cluster (no offsets-for-times, no read_committed filtering).</summary>
    public bool IsMock { get; }

    public static Task<KafkaTestBroker> GetAsync() => Shared.Value;

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

    private static async Task<KafkaTestBroker> StartAsync()
    {
        var kind = KafkaBrokerChoice.Decide();
        switch (kind)
        {
            case KafkaBrokerKind.External:
            case KafkaBrokerKind.LocalMock when Environment.GetEnvironmentVariable(KafkaBrokerChoice.BootstrapVariable) is { Length: > 0 }:
                var external = Environment.GetEnvironmentVariable(KafkaBrokerChoice.BootstrapVariable)!;
                return new KafkaTestBroker(kind, external, KafkaBrokerChoice.ExternalIsMock, null);
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
                return new KafkaTestBroker(kind, container.GetBootstrapAddress(), false, null);
            default:
                var mock = LocalMockBrokerProcess.Start();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => mock.Dispose();
                return new KafkaTestBroker(kind, mock.BootstrapServers, true, mock);
        }
    }
}
