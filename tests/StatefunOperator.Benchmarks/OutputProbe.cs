using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Benchmarks;

/// <summary>
/// A read_committed reader of one output partition from its end at creation: what a downstream consumer sees.
/// Owned by the benchmark's one thread.
/// </summary>
internal sealed class OutputProbe : IDisposable
{
    private readonly IConsumer<byte[], byte[]> _consumer;

    public OutputProbe(KafkaTestBroker broker, string topic)
    {
        _consumer = broker.CreateConsumer(KafkaTestBroker.UniqueName("probe"), readCommitted: true);
        _consumer.Assign(new TopicPartitionOffset(topic, 0, Offset.End));
    }

    /// <summary>Reads until a record keyed <paramref name="key"/> is visible; the elapsed time of <paramref name="since"/> then.</summary>
    public TimeSpan WaitFor(string key, Stopwatch since, TimeSpan limit)
    {
        var wanted = Encoding.UTF8.GetBytes(key);
        while (since.Elapsed < limit)
        {
            if (_consumer.Consume(TimeSpan.FromMilliseconds(50)) is { Message.Key: { } found } && found.AsSpan().SequenceEqual(wanted))
            {
                return since.Elapsed;
            }
        }

        throw new TimeoutException($"no output keyed {key} visible to a read_committed reader within {limit.TotalSeconds:0} s");
    }

    /// <summary>Reads until <paramref name="count"/> records are visible; how long that took.</summary>
    public TimeSpan WaitForCount(int count, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var seen = 0;
        while (seen < count)
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"{seen} of {count} outputs visible to a read_committed reader within {limit.TotalSeconds:0} s");
            }

            if (_consumer.Consume(TimeSpan.FromMilliseconds(50)) is not null)
            {
                seen++;
            }
        }

        return clock.Elapsed;
    }

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }
}
