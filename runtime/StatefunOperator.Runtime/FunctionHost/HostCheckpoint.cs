using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StatefunOperator.Module.Validation;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Pipeline;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>
/// The function host's side of the commit boundary, around the draining checkpoint: an assigned inbox
/// partition is restored from its changelog partition before any of its messages is handled; a revoked
/// one is committed, then dropped. On every poll, due delayed messages fire (their envelopes and the
/// deletion of their entries go into the open transaction) and expired values are swept now and then.
/// After an abort (the inner checkpoint rewinds the inbox to the last commit) the state of every owned
/// partition is restored again, so memory matches what was committed.
/// </summary>
internal sealed class HostCheckpoint : ICheckpoint
{
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RecoverWait = TimeSpan.FromSeconds(30);
    private readonly ICheckpoint _inner;
    private readonly FunctionHostSettings _host;
    private readonly HostFunctionState _state;
    private readonly HostEffects _effects;
    private readonly FunctionDispatcher _dispatcher;
    private readonly ILogger _logger;
    private readonly DeferredChangelog? _deferred;
    private readonly CoarseTimer _sinceSweep = CoarseTimer.StartNew();

    public HostCheckpoint(ICheckpoint inner, FunctionHostSettings host, HostFunctionState state, HostEffects effects, FunctionDispatcher dispatcher, ILogger logger, DeferredChangelog? deferred)
    {
        _inner = inner;
        _host = host;
        _state = state;
        _effects = effects;
        _dispatcher = dispatcher;
        _logger = logger;
        _deferred = deferred;
    }

    public void Attach(IIngressConsumerControl consumer) => _inner.Attach(consumer);

    public void OnAssigned(IReadOnlyCollection<TopicPartitionOffset> startOffsets)
    {
        ArgumentNullException.ThrowIfNull(startOffsets);
        Restore(startOffsets.Select(o => o.Partition.Value).ToArray());
        _inner.OnAssigned(startOffsets);
    }

    public void BeforeRecord() => _inner.BeforeRecord();

    public void AfterRecord(TopicPartitionOffset source) => _inner.AfterRecord(source);

    public void OnPoll()
    {
        if (_state.AnyDue())
        {
            // Inside the open transaction: the deletion of each entry and its envelope.
            _inner.BeforeRecord();
            foreach (var message in _state.TakeDue())
            {
                _effects.Fire(message);
            }
        }

        if (_sinceSweep.HasElapsed(SweepInterval))
        {
            if (_state.AnyExpired())
            {
                _inner.BeforeRecord();
                _state.Sweep();
            }

            _sinceSweep.Restart();
        }

        _inner.OnPoll();
    }

    public void OnRevoked(IReadOnlyCollection<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        _inner.OnRevoked(partitions);
        Drop(partitions);
    }

    public void OnLost(IReadOnlyCollection<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        _inner.OnLost(partitions);
        Drop(partitions);
    }

    public bool TryRecover(KafkaException failure)
    {
        // Invocations still running would write into the next transaction for records about to be re-read.
        var idle = _dispatcher.WhenIdle();
        try
        {
            if (!idle.Wait(RecoverWait))
            {
                _logger.LogError("function host {Host}: functions still busy {Seconds} s after a failed commit; stopping so that the platform restarts the host", _host.Id, RecoverWait.TotalSeconds);
                return false;
            }
        }
        catch (AggregateException)
        {
            return false;
        }

        if (!_inner.TryRecover(failure))
        {
            return false;
        }

        Restore(_state.OwnedPartitions.ToArray());
        return true;
    }

    public void OnClose() => _inner.OnClose();

    public void Dispose() => _inner.Dispose();

    private void Drop(IReadOnlyCollection<TopicPartition> partitions)
    {
        var numbers = partitions.Select(p => p.Partition.Value).ToArray();
        _state.Drop(numbers);
        _deferred?.Forget(numbers);
    }

    private void Restore(IReadOnlyCollection<int> partitions)
    {
        foreach (var restored in ChangelogRestorer.Restore(_host, partitions, _logger, RestoreTimeout))
        {
            _state.Own(restored);
        }
    }
}
