using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StatefunOperator.Runtime.Pipeline;

namespace StatefunOperator.Runtime.Functions;

/// <summary>
/// Puts the function dispatcher inside the commit boundary without touching the checkpoints themselves.
/// Why not let the sink return only after the record's invocations completed? That serializes every
/// record behind the previous one's HTTP round trips. Instead the sink returns once the record is queued,
/// and this decorator holds the record's position back from the real checkpoint until the dispatcher is
/// idle (every message so far, and everything it caused, invoked and its egress records queued). Only
/// then does the inner checkpoint see the positions (and get its OnPoll), so it commits, and with
/// exactly-once commits its transaction, only while no invocation is in flight: offsets never pass a
/// record whose invocations are unfinished, and egress records written by functions land in the
/// transaction that also carries the offsets of the records that caused them (or an earlier one).
/// On a time/size boundary the consumer thread waits (bounded) for the dispatcher: that is the backpressure.
/// Limitation: a pending delayed message counts as unfinished work, so a long delay holds commits back.
/// </summary>
public sealed class DispatcherDrainingCheckpoint : ICheckpoint
{
    private static readonly TimeSpan BoundaryWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RevocationWait = TimeSpan.FromSeconds(30);
    private readonly ICheckpoint _inner;
    private readonly FunctionDispatcher _dispatcher;
    private readonly CheckpointOptions _options;
    private readonly ILogger _logger;
    private readonly List<TopicPartitionOffset> _held = [];
    private DateTime _lastRelease = DateTime.UtcNow;

    public DispatcherDrainingCheckpoint(ICheckpoint inner, FunctionDispatcher dispatcher, CheckpointOptions options, ILogger logger)
    {
        _inner = inner;
        _dispatcher = dispatcher;
        _options = options;
        _logger = logger;
    }

    public void Attach(IIngressConsumerControl consumer) => _inner.Attach(consumer);

    public void OnAssigned(IReadOnlyCollection<TopicPartitionOffset> startOffsets) => _inner.OnAssigned(startOffsets);

    public void BeforeRecord() => _inner.BeforeRecord();

    public void AfterRecord(TopicPartitionOffset source)
    {
        _held.Add(source);
        if (_held.Count >= _options.MaxRecords)
        {
            ReleaseWhenIdle(BoundaryWait);
        }
    }

    public void OnPoll()
    {
        var boundary = DateTime.UtcNow - _lastRelease >= _options.Interval;
        if (ReleaseWhenIdle(boundary ? BoundaryWait : TimeSpan.Zero))
        {
            _inner.OnPoll();
        }
    }

    public void OnRevoked(IReadOnlyCollection<TopicPartition> partitions)
    {
        if (!ReleaseWhenIdle(RevocationWait))
        {
            _logger.LogWarning("checkpoint: functions still busy at revocation; the held records of {Partitions} are left for the next owner to re-read", string.Join(", ", partitions));
            Discard(partitions);
        }

        _inner.OnRevoked(partitions);
    }

    public void OnLost(IReadOnlyCollection<TopicPartition> partitions)
    {
        Discard(partitions);
        _inner.OnLost(partitions);
    }

    public bool TryRecover(KafkaException failure)
    {
        var recovered = _inner.TryRecover(failure);
        if (recovered)
        {
            // The inner checkpoint rewound to its last commit: the held records will be read again.
            _held.Clear();
        }

        return recovered;
    }

    public void OnClose()
    {
        if (!ReleaseWhenIdle(RevocationWait))
        {
            _logger.LogWarning("checkpoint: functions still busy at close; {Count} record(s) are not committed and will be read again", _held.Count);
            _held.Clear();
        }

        _inner.OnClose();
    }

    public void Dispose() => _inner.Dispose();

    /// <summary>Waits up to <paramref name="wait"/> for the dispatcher to be idle; then hands the held positions to the inner checkpoint.</summary>
    private bool ReleaseWhenIdle(TimeSpan wait)
    {
        var idle = _dispatcher.WhenIdle();
        if (!idle.IsCompleted && wait > TimeSpan.Zero)
        {
            try
            {
                idle.Wait(wait);
            }
            catch (AggregateException)
            {
                // Observed below.
            }
        }

        if (!idle.IsCompleted)
        {
            return false;
        }

        // A failed dispatcher throws here: the ingress stops without committing past its records.
        idle.GetAwaiter().GetResult();
        foreach (var position in _held)
        {
            _inner.AfterRecord(position);
        }

        _held.Clear();
        _lastRelease = DateTime.UtcNow;
        return true;
    }

    private void Discard(IReadOnlyCollection<TopicPartition> partitions) =>
        _held.RemoveAll(p => partitions.Contains(p.TopicPartition));
}
