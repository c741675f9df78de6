using System.Text;
using Confluent.Kafka;

namespace StatefunOperator.Runtime.Ingress;

/// <summary>
/// Keeps the startup ledger in Kafka itself, as the committed offsets of a companion consumer group
/// named after the ingress group and the startup position
/// (<c>&lt;group&gt;.statefun-startup.&lt;hash&gt;</c>). The companion group never joins; it only
/// commits. A new startup position (a new hash) starts from an empty ledger, so a changed position is
/// applied once again. The ledger is re-committed on every assignment so that the broker's offset
/// retention does not forget it while the ingress runs.
/// </summary>
public sealed class KafkaStartupLedger : IStartupLedger
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly IConsumer<byte[], byte[]> _ledger;

    public KafkaStartupLedger(ConsumerConfig ingressConfig, KafkaIngressStartupPosition position)
    {
        ArgumentNullException.ThrowIfNull(ingressConfig);
        GroupId = LedgerGroupId(ingressConfig.GroupId, position);
        var config = new ConsumerConfig(new Dictionary<string, string>(ingressConfig, StringComparer.Ordinal))
        {
            GroupId = GroupId,
            EnableAutoCommit = false,
        };
        _ledger = new ConsumerBuilder<byte[], byte[]>(config).Build();
    }

    public string GroupId { get; }

    public static string LedgerGroupId(string groupId, KafkaIngressStartupPosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        var hash = Sha256.HashData(Encoding.UTF8.GetBytes(position.Describe()));
        return $"{groupId}.statefun-startup.{Convert.ToHexStringLower(hash)[..12]}";
    }

    public IReadOnlySet<TopicPartition> AlreadyStarted(IReadOnlyCollection<TopicPartition> partitions)
    {
        var committed = _ledger.Committed(partitions, Timeout);
        var started = committed.Where(c => c.Offset.Value >= 0).Select(c => c.TopicPartition).ToHashSet();
        var refresh = committed.Where(c => c.Offset.Value >= 0).ToArray();
        if (refresh.Length > 0)
        {
            _ledger.Commit(refresh);
        }

        return started;
    }

    public void RecordStarted(IReadOnlyCollection<TopicPartitionOffset> startOffsets)
    {
        if (startOffsets.Count > 0)
        {
            _ledger.Commit(startOffsets);
        }
    }

    public void Dispose()
    {
        _ledger.Close();
        _ledger.Dispose();
    }
}
