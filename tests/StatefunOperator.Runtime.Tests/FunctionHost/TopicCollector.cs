using System.Text;
using Confluent.Kafka;
using StatefunOperator.Testing.Kafka;

namespace StatefunOperator.Runtime.Tests.FunctionHost;

/// <summary>Reads a topic from its beginning in the background for as long as a test runs, noting when each record arrived.</summary>
internal sealed class TopicCollector : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;
    private readonly Lock _gate = new();
    private readonly List<(string Key, string Value, DateTime Arrived)> _records = [];

    public TopicCollector(KafkaTestBroker broker, string topic, int partitions, bool readCommitted = true)
    {
        _reading = Task.Run(() =>
        {
            using var reader = broker.CreateConsumer(KafkaTestBroker.UniqueName("collector"), readCommitted);
            reader.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
            while (!_stop.IsCancellationRequested)
            {
                if (reader.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } record)
                {
                    lock (_gate)
                    {
                        _records.Add((
                            record.Message.Key is null ? string.Empty : Encoding.UTF8.GetString(record.Message.Key),
                            Encoding.UTF8.GetString(record.Message.Value),
                            DateTime.UtcNow));
                    }
                }
            }

            reader.Close();
        });
    }

    public IReadOnlyList<(string Key, string Value, DateTime Arrived)> Records
    {
        get
        {
            lock (_gate)
            {
                return [.. _records];
            }
        }
    }

    /// <summary>Waits (at most <paramref name="limit"/>) until the records read so far satisfy <paramref name="done"/>; false when they never did.</summary>
    public async Task<bool> WaitForAsync(Func<IReadOnlyList<(string Key, string Value, DateTime Arrived)>, bool> done, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (done(Records))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return done(Records);
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _reading.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }
}
