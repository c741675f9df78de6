using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StatefunOperator.Module.Validation;
using StatefunOperator.Runtime.FunctionHost.Store;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Pipeline;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>
/// The function host's side of the commit boundary. An assigned inbox partition is restored from its changelog
/// partition before any of its messages is handled, and its pending messages (read, not applied when a commit
/// passed them) are dispatched again first. On every poll the answers received meanwhile are applied (in the open
/// transaction), due delayed messages fire, expired values are swept now and then, and the inbox is paused while
/// more messages are buffered (or spilled) than the bounds (resumed at half of them; polling goes on, so the group keeps
/// the host).
/// The boundary itself (<see cref="HostBoundary"/>) waits for no call. A revoked partition waits at most 2 s for the
/// answers of its calls in flight, is committed, then its addresses are dropped (answers arriving later are discarded:
/// the next owner re-dispatches those messages). After
/// an abort, or a lost partition under exactly-once, every owned partition is dropped (with the changes not durable
/// yet) and opened again from its store, which holds only what was committed: only the changelog after it is read.
/// </summary>
internal sealed class HostCheckpoint : ICheckpoint
{
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long a revocation waits for the calls in flight of its partitions (see <see cref="AwaitCallsInFlight"/>).</summary>
    private static readonly TimeSpan RevocationGrace = TimeSpan.FromSeconds(2);
    private readonly ICheckpoint _inner;
    private readonly FunctionHostSettings _host;
    private readonly HostFunctionState _state;
    private readonly HostEffects _effects;
    private readonly FunctionDispatcher _dispatcher;
    private readonly AnswerQueue _answers;
    private readonly UnfinishedMessages _unfinished;
    private readonly ILogger _logger;
    private readonly DeferredChangelog? _deferred;
    private readonly StoreResources _stores;
    private readonly ChangelogFactsSource _facts;
    private readonly CoarseTimer _sinceSweep = CoarseTimer.StartNew();
    private IIngressConsumerControl? _consumer;
    private bool _paused;

    public HostCheckpoint(
        ICheckpoint inner,
        FunctionHostSettings host,
        HostFunctionState state,
        HostEffects effects,
        FunctionDispatcher dispatcher,
        AnswerQueue answers,
        UnfinishedMessages unfinished,
        ILogger logger,
        DeferredChangelog? deferred,
        StoreResources stores,
        ChangelogFactsSource facts)
    {
        _stores = stores;
        _facts = facts;
        _inner = inner;
        _host = host;
        _state = state;
        _effects = effects;
        _dispatcher = dispatcher;
        _answers = answers;
        _unfinished = unfinished;
        _logger = logger;
        _deferred = deferred;
    }

    public void Attach(IIngressConsumerControl consumer)
    {
        _consumer = consumer;
        _inner.Attach(consumer);
    }

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
        ApplyAnswers();

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

        PauseOrResume();
        _inner.OnPoll();
    }

    public void OnRevoked(IReadOnlyCollection<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var numbers = partitions.Select(p => p.Partition.Value).ToArray();
        AwaitCallsInFlight(numbers.ToHashSet());
        _inner.OnRevoked(partitions);
        Drop(numbers);
    }

    public void OnLost(IReadOnlyCollection<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        _inner.OnLost(partitions);
        Drop(partitions.Select(p => p.Partition.Value).ToArray());
        if (_host.ExactlyOnce)
        {
            // The open transaction was aborted with them: the other partitions rewound too.
            Reset("partitions lost");
        }
    }

    public bool TryRecover(KafkaException failure)
    {
        if (!_inner.TryRecover(failure))
        {
            return false;
        }

        Reset(failure.Error.Reason);
        return true;
    }

    public void OnClose() => _inner.OnClose();

    public void Dispose() => _inner.Dispose();

    /// <summary>
    /// Before a revocation commits: calls in flight for those partitions may answer within a short grace; their answers
    /// are applied (and commit with the revocation), so that the next owner calls again less. Never longer than the
    /// grace, and not at all for failing addresses: their messages are pending entries the next owner sends again.
    /// </summary>
    private void AwaitCallsInFlight(HashSet<int> partitions)
    {
        var waited = Stopwatch.StartNew();
        while (_dispatcher.CallsInFlight(address => partitions.Contains(_state.PartitionOf(address))) > 0 && waited.Elapsed < RevocationGrace)
        {
            if (!ApplyAnswers())
            {
                Thread.Sleep(5);
            }
        }
    }

    /// <summary>Applies the answers received so far inside the open transaction (state changes, outputs, pending-entry deletions); false when there were none.</summary>
    private bool ApplyAnswers()
    {
        if (_answers.IsEmpty)
        {
            return false;
        }

        _inner.BeforeRecord();
        _answers.ApplyWaiting();
        return true;
    }

    /// <summary>Memory is ahead of what was committed (the transaction aborted): start every owned partition again from its store.</summary>
    private void Reset(string reason)
    {
        var owned = _state.OwnedPartitions.ToArray();
        _logger.LogWarning("function host {Host}: restoring partitions {Partitions} again after an abort ({Reason})", _host.Id, string.Join(", ", owned.Order()), reason);
        _unfinished.Clear();
        Drop(owned);
        Restore(owned);
    }

    private void Drop(int[] partitions)
    {
        if (partitions.Length == 0)
        {
            return;
        }

        var set = partitions.ToHashSet();
        _dispatcher.Drop(address => set.Contains(_state.PartitionOf(address)));
        _unfinished.Forget(set);
        _state.Drop(partitions);
        _deferred?.Forget(partitions);
    }

    private void Restore(IReadOnlyCollection<int> partitions)
    {
        foreach (var restored in ChangelogRestorer.Restore(_host, partitions, _stores, _facts, _logger, RestoreTimeout))
        {
            _state.Own(restored);
        }

        StaleStores.Clean(_stores, _state.OwnedPartitions, _logger, DateTime.UtcNow);
        var pending = _state.TakeRestoredPending(partitions);
        if (pending.Count > 0)
        {
            _logger.LogInformation("function host {Host}: dispatching {Count} pending message(s) of partitions {Partitions} again", _host.Id, pending.Count, string.Join(", ", partitions.Order()));
        }

        foreach (var message in pending)
        {
            _dispatcher.Send(message);
        }
    }

    /// <summary>
    /// Over a bound of <c>host.limits</c> (messages or bytes buffered in memory, bytes spilled to disk): every assigned
    /// inbox partition is paused (again on each poll, so that partitions assigned meanwhile, also by an incremental
    /// rebalance, are paused too); under half of each, all of them are resumed.
    /// </summary>
    private void PauseOrResume()
    {
        if (_consumer is null)
        {
            return;
        }

        var limits = _host.Limits;
        var (buffered, bytes, spilled) = _dispatcher.Load();
        if (buffered >= limits.MaxBufferedMessages || bytes >= limits.MaxBufferedBytes || spilled >= limits.MaxSpilledBytes)
        {
            var assigned = _consumer.Assignment;
            if (assigned.Count > 0)
            {
                _consumer.Pause(assigned);
                if (!_paused)
                {
                    _paused = true;
                    _logger.LogInformation(
                        "function host {Host}: {Buffered} messages, {Bytes} bytes buffered, {Spilled} bytes spilled to disk (bounds {MaxMessages} messages, {MaxBytes} bytes, {MaxSpilled} bytes: host.limits); inbox paused until half of them are applied",
                        _host.Id,
                        buffered,
                        bytes,
                        spilled,
                        limits.MaxBufferedMessages,
                        limits.MaxBufferedBytes,
                        limits.MaxSpilledBytes);
                }
            }
        }
        else if (_paused && buffered <= limits.MaxBufferedMessages / 2 && bytes <= limits.MaxBufferedBytes / 2 && spilled <= limits.MaxSpilledBytes / 2)
        {
            _consumer.Resume(_consumer.Assignment);
            _paused = false;
            _logger.LogInformation("function host {Host}: {Buffered} messages, {Bytes} bytes buffered, {Spilled} bytes spilled; inbox resumed", _host.Id, buffered, bytes, spilled);
        }
    }
}
