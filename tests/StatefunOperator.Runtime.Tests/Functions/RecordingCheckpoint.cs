using Confluent.Kafka;
using StatefunOperator.Runtime.Pipeline;

namespace StatefunOperator.Runtime.Tests.Functions;

/// <summary>An inner checkpoint that records what it was told.</summary>
internal sealed class RecordingCheckpoint : ICheckpoint
{
    public List<string> Calls { get; } = [];

    public void Attach(IIngressConsumerControl consumer) => Calls.Add("attach");

    public void OnAssigned(IReadOnlyCollection<TopicPartitionOffset> startOffsets) => Calls.Add("assigned");

    public void BeforeRecord() => Calls.Add("before");

    public void AfterRecord(TopicPartitionOffset source) => Calls.Add($"after {source.Offset.Value}");

    public void OnPoll() => Calls.Add("poll");

    public void OnRevoked(IReadOnlyCollection<TopicPartition> partitions) => Calls.Add("revoked");

    public void OnLost(IReadOnlyCollection<TopicPartition> partitions) => Calls.Add("lost");

    public bool TryRecover(KafkaException failure) => false;

    public void OnClose() => Calls.Add("close");

    public void Dispose()
    {
    }
}
