using Confluent.Kafka;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Pipeline;

namespace StatefunOperator.Runtime.Tests.Pipeline;

/// <summary>Records the producer calls; fails a chosen call once; refuses a produce outside a transaction when transactional.</summary>
internal sealed class FakeEgressProducer : IEgressProducer
{
    private readonly bool _transactional;

    public FakeEgressProducer(bool transactional)
    {
        _transactional = transactional;
    }

    public List<string> Calls { get; } = [];

    public List<IReadOnlyList<TopicPartitionOffset>> SentOffsets { get; } = [];

    public bool InTransaction { get; private set; }

    /// <summary>The next call with this name throws this exception (once).</summary>
    public (string Call, KafkaException Failure)? FailNext { get; set; }

    public int Pending { get; set; }

    public void InitTransactions(TimeSpan timeout) => Call("init");

    public void BeginTransaction()
    {
        Call("begin");
        Assert.False(InTransaction, "begin inside an open transaction");
        InTransaction = true;
    }

    public void Produce(KafkaEgressRecord record, Action<Error> onFailure)
    {
        Call("produce " + record.Topic);
        if (_transactional)
        {
            Assert.True(InTransaction, "produce outside a transaction");
        }
    }

    public void SendOffsetsToTransaction(IEnumerable<TopicPartitionOffset> offsets, IConsumerGroupMetadata groupMetadata, TimeSpan timeout)
    {
        var list = offsets.ToArray();
        Call("send-offsets " + string.Join(",", list.Select(o => $"{o.Partition.Value}@{o.Offset.Value}")));
        Assert.True(InTransaction, "offsets sent outside a transaction");
        SentOffsets.Add(list);
    }

    public void CommitTransaction(TimeSpan timeout)
    {
        Call("commit");
        Assert.True(InTransaction, "commit outside a transaction");
        InTransaction = false;
    }

    public void AbortTransaction(TimeSpan timeout)
    {
        Call("abort");
        InTransaction = false;
    }

    /// <summary>What the next <see cref="SealEpoch"/> returns (then a settled epoch again).</summary>
    public DeliveryEpoch? NextEpoch { get; set; }

    public DeliveryEpoch SealEpoch()
    {
        Call("seal");
        var epoch = NextEpoch ?? new DeliveryEpoch();
        NextEpoch = null;
        return epoch;
    }

    public int Flush(TimeSpan timeout)
    {
        Call("flush");
        var pending = Pending;
        Pending = 0;
        return pending;
    }

    public void Dispose()
    {
    }

    private void Call(string name)
    {
        Calls.Add(name);
        if (FailNext is { } fail && name.StartsWith(fail.Call, StringComparison.Ordinal))
        {
            FailNext = null;
            if (name == "commit" || name.StartsWith("send-offsets", StringComparison.Ordinal))
            {
                // The broker did not take it: the transaction stays open until aborted.
            }

            throw fail.Failure;
        }
    }
}
