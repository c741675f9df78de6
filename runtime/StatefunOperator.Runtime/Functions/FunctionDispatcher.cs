using Google.Protobuf;
using Microsoft.Extensions.Logging;
using StatefunOperator.Module;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.Functions;

/// <summary>
/// Invokes remote functions with the StateFun request-reply protocol, keyed by function address:
/// per address at most one request in flight, per endpoint at most <see cref="DispatchOptions.MaxCallsInFlight"/>;
/// messages that arrive meanwhile wait in the address's mailbox and go together in the next request (up to the
/// endpoint's <c>maxNumBatchRequests</c>). Per address at most <c>maxNumBatchRequests</c> waiting messages stay in
/// memory; the others wait in arrival order until <see cref="Spill"/> moves those its caller allows to a file on local
/// disk (<see cref="MessageSpill"/>, read back in order as the address catches up). Answers are applied in order (where <see cref="IInvocationApplier"/> says,
/// else at once): the incomplete-context round trip registers the declared state and re-sends the same batch; state
/// mutations update the address's state; outgoing messages, delayed messages and egress messages go to
/// <see cref="IFunctionEffects"/> (without effects: dispatched here, on in-memory timers, to <see cref="IFunctionEgress"/>).
/// A failed call (HTTP error, timeout, an answer that cannot be applied) is retried with backoff, with the same
/// batch, for ever: an address's messages are never dropped or reordered, and a failing address blocks only itself.
/// It shows in <see cref="FailingAddresses"/>, the <c>statefun_function_addresses_failing</c> gauge and a warning
/// log at a bounded rate. Without an applier, a bug-like failure (no endpoint, unwritable egress message) faults the
/// dispatcher: <see cref="Send(FunctionAddress, FunctionAddress?, TypedValue)"/> and <see cref="WhenIdle"/> throw.
/// </summary>
public sealed class FunctionDispatcher : IDisposable
{
    private readonly IReadOnlyList<FunctionEndpoint> _endpoints;
    private readonly IFunctionClient _client;
    private readonly IFunctionEgress? _egress;
    private readonly IFunctionState _state;
    private readonly IFunctionEffects? _effects;
    private readonly IInvocationApplier? _applier;
    private readonly DispatchOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<FunctionAddress, AddressMailbox> _mailboxes = [];
    private readonly Dictionary<FunctionEndpoint, EndpointCalls> _calls = [];
    private readonly Dictionary<string, CancellationTokenSource> _cancellableDelays = new(StringComparer.Ordinal);
    private readonly HashSet<AddressMailbox> _failing = [];
    private readonly HashSet<AddressMailbox> _overflowing = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly FunctionMetrics _metrics = new();
    private readonly WarningBudget _warnings = new(20, TimeSpan.FromSeconds(10));
    private long _outstanding;
    private long _outstandingBytes;
    private long _spilled;
    private long _spilledBytes;
    private long _spillFileBytes;
    private string? _spillDirectory;
    private long _failedCalls;
    private TaskCompletionSource? _idle;
    private Exception? _fault;

    /// <param name="state">Where state lives (default: this process's memory).</param>
    /// <param name="effects">Where outputs go (default: messages dispatched here, delayed ones on in-memory timers, egress messages to <paramref name="egress"/>).</param>
    /// <param name="applier">Where answers are applied (default: at once, on the thread that received them).</param>
    public FunctionDispatcher(
        IReadOnlyList<FunctionEndpoint> endpoints,
        IFunctionClient client,
        IFunctionEgress? egress,
        ILogger logger,
        DispatchOptions? options = null,
        IFunctionState? state = null,
        IFunctionEffects? effects = null,
        IInvocationApplier? applier = null)
    {
        _endpoints = endpoints;
        _client = client;
        _egress = egress;
        _logger = logger;
        _options = options ?? DispatchOptions.Default;
        _state = state ?? new InMemoryFunctionState();
        _effects = effects;
        _applier = applier;
    }

    /// <summary>Messages sent (including delayed ones not yet delivered) whose invocation has not completed.</summary>
    public long Outstanding
    {
        get
        {
            lock (_gate)
            {
                return _outstanding;
            }
        }
    }

    /// <summary>Argument bytes of the messages sent whose invocation has not completed (delayed ones count once delivered).</summary>
    public long OutstandingBytes
    {
        get
        {
            lock (_gate)
            {
                return _outstandingBytes;
            }
        }
    }

    /// <summary>Outstanding messages held in memory (the others are spilled to disk): what a host's <c>maxBufferedMessages</c> bounds.</summary>
    public long Buffered
    {
        get
        {
            lock (_gate)
            {
                return _outstanding - _spilled;
            }
        }
    }

    /// <summary>Argument bytes of the outstanding messages held in memory: what a host's <c>maxBufferedBytes</c> bounds.</summary>
    public long BufferedBytes
    {
        get
        {
            lock (_gate)
            {
                return _outstandingBytes - _spilledBytes;
            }
        }
    }

    /// <summary><see cref="Buffered"/>, <see cref="BufferedBytes"/> and <see cref="SpillFileBytes"/> together, as of one moment.</summary>
    public BufferedLoad Load()
    {
        lock (_gate)
        {
            return new BufferedLoad(_outstanding - _spilled, _outstandingBytes - _spilledBytes, _spillFileBytes);
        }
    }

    /// <summary>Waiting messages spilled to disk.</summary>
    public long Spilled
    {
        get
        {
            lock (_gate)
            {
                return _spilled;
            }
        }
    }

    /// <summary>Bytes the spill files take on disk (each message's envelope and a header): what a host's <c>maxSpilledBytes</c> bounds.</summary>
    public long SpillFileBytes
    {
        get
        {
            lock (_gate)
            {
                return _spillFileBytes;
            }
        }
    }

    /// <summary>Argument bytes of the waiting messages spilled to disk.</summary>
    public long SpilledBytes
    {
        get
        {
            lock (_gate)
            {
                return _spilledBytes;
            }
        }
    }

    /// <summary>Failed calls so far (each retried): a function that keeps failing shows here and in the logs.</summary>
    public long FailedCalls => Interlocked.Read(ref _failedCalls);

    /// <summary>The addresses whose calls fail now, longest failing first.</summary>
    public IReadOnlyList<FailingAddress> FailingAddresses()
    {
        lock (_gate)
        {
            return _failing
                .OrderBy(m => m.FailingSince)
                .Select(m => new FailingAddress(m.Address, m.Attempts, m.FailingSince!.Value, m.LastError, m.Waiting + m.InFlight))
                .ToList();
        }
    }

    /// <summary>Addresses <paramref name="which"/> selects that have a call in flight and are not failing (a failing one only waits for its next attempt).</summary>
    public int CallsInFlight(Func<FunctionAddress, bool> which)
    {
        ArgumentNullException.ThrowIfNull(which);
        lock (_gate)
        {
            return _mailboxes.Values.Count(m => m.InFlight > 0 && m.FailingSince is null && which(m.Address));
        }
    }

    /// <summary>Queues a message for <paramref name="target"/>; it is invoked after every message queued for it before.</summary>
    public void Send(FunctionAddress target, FunctionAddress? caller, TypedValue argument) =>
        Send(new PendingInvocation(target, caller, argument));

    /// <summary>Queues a message for its target; it is invoked after every message queued for it before.</summary>
    public void Send(PendingInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        EndpointCalls? start = null;
        lock (_gate)
        {
            if (_fault is not null)
            {
                throw new InvalidOperationException("the function dispatcher failed: " + _fault.Message, _fault);
            }

            if (!_mailboxes.TryGetValue(invocation.Target, out var mailbox))
            {
                var endpoint = FunctionEndpoints.Resolve(_endpoints, invocation.Target.Type)
                    ?? throw new InvalidOperationException($"no endpoint serves function type '{invocation.Target.Type}' (message for {invocation.Target})");
                mailbox = new AddressMailbox(invocation.Target, endpoint);
                _mailboxes.Add(invocation.Target, mailbox);
            }

            _outstanding++;
            _outstandingBytes += invocation.Bytes;
            if (mailbox.Overflow.Count == 0 && (mailbox.Spill?.Count ?? 0) == 0 && mailbox.Pending.Count < mailbox.Bound)
            {
                mailbox.Pending.Enqueue(invocation);
            }
            else
            {
                mailbox.Overflow.Enqueue(invocation);
                _overflowing.Add(mailbox);
            }

            if (!mailbox.Running)
            {
                mailbox.Running = true;
                start = EnqueueReady(mailbox);
            }
        }

        StartRunner(start);
    }

    /// <summary>
    /// Gives up the addresses <paramref name="which"/> selects: their waiting messages are forgotten and the answers of
    /// their calls in flight discarded (whoever owns them next re-dispatches what was not applied).
    /// </summary>
    public int Drop(Func<FunctionAddress, bool> which)
    {
        ArgumentNullException.ThrowIfNull(which);
        TaskCompletionSource? idle = null;
        var dropped = 0;
        lock (_gate)
        {
            foreach (var mailbox in _mailboxes.Values.Where(m => which(m.Address)).ToList())
            {
                mailbox.Dropped = true;
                _mailboxes.Remove(mailbox.Address);
                _outstanding -= mailbox.Waiting + mailbox.InFlight;
                _outstandingBytes -= mailbox.Pending.Sum(m => (long)m.Bytes) + mailbox.Overflow.Sum(m => (long)m.Bytes) + (mailbox.Spill?.Bytes ?? 0) + mailbox.InFlightBytes;
                dropped += mailbox.Waiting + mailbox.InFlight;
                ChangeSpill(mailbox, spill => spill.Clear());
                mailbox.Pending.Clear();
                mailbox.Overflow.Clear();
                _overflowing.Remove(mailbox);
                mailbox.Batch = null;
                StopFailing(mailbox);
            }

            if (_outstanding == 0)
            {
                idle = _idle;
                _idle = null;
            }
        }

        idle?.TrySetResult();
        return dropped;
    }

    /// <summary>
    /// Moves the waiting messages beyond each address's in-memory bound to disk, as far as <paramref name="canSpill"/>
    /// allows (in order: the first message it refuses stays in memory, and every one after it). A function host allows
    /// messages whose pending changelog entries are written. Returns how many moved; a disk that fails leaves them in
    /// memory (logged).
    /// </summary>
    public int Spill(Func<PendingInvocation, bool> canSpill)
    {
        ArgumentNullException.ThrowIfNull(canSpill);
        var moved = 0;
        lock (_gate)
        {
            foreach (var mailbox in _overflowing.ToList())
            {
                Refill(mailbox);
                var batch = mailbox.Overflow.TakeWhile(canSpill).ToList();
                if (batch.Count > 0)
                {
                    try
                    {
                        mailbox.Spill ??= new MessageSpill(SpillDirectory());
                        ChangeSpill(mailbox, spill => spill.Append(batch));
                        for (var i = 0; i < batch.Count; i++)
                        {
                            mailbox.Overflow.Dequeue();
                        }

                        moved += batch.Count;
                    }
                    catch (IOException e)
                    {
                        _logger.LogWarning("function {Address}: could not spill {Count} waiting message(s) to {Directory}; they stay in memory: {Reason}", mailbox.Address, batch.Count, _spillDirectory, e.Message);
                        return moved;
                    }
                }

                if (mailbox.Overflow.Count == 0)
                {
                    _overflowing.Remove(mailbox);
                }
            }
        }

        return moved;
    }

    /// <summary>
    /// Completes when every message sent so far, and every message they caused (delayed ones included),
    /// has been invoked and its effects applied. Fails when the dispatcher failed.
    /// </summary>
    public Task WhenIdle()
    {
        lock (_gate)
        {
            if (_fault is not null)
            {
                return Task.FromException(new InvalidOperationException("the function dispatcher failed: " + _fault.Message, _fault));
            }

            if (_outstanding == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }

    /// <summary>The address's current state values (name -> value bytes; absent values left out), with the default in-memory state.</summary>
    public IReadOnlyDictionary<string, ByteString> StateOf(FunctionAddress address) =>
        _state is InMemoryFunctionState memory
            ? memory.ValuesOf(address)
            : _state.Read(address).Where(v => v.StateValue.HasValue).ToDictionary(v => v.StateName, v => v.StateValue.Value, StringComparer.Ordinal);

    public void Dispose()
    {
        _stopping.Cancel();
        lock (_gate)
        {
            foreach (var delay in _cancellableDelays.Values)
            {
                delay.Dispose();
            }

            _cancellableDelays.Clear();
            foreach (var mailbox in _failing)
            {
                _metrics.AddressFailing(mailbox.Address, -1);
            }

            _failing.Clear();
        }

        // Every spill file is in this dispatcher's own directory.
        if (_spillDirectory is not null)
        {
            try
            {
                Directory.Delete(_spillDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Left in the pod's temporary directory, which goes with the pod.
            }
        }

        _stopping.Dispose();
        _metrics.Dispose();
    }

    internal static ToFunction BuildRequest(FunctionAddress target, IReadOnlyList<ToFunction.Types.PersistedValue> state, IReadOnlyList<PendingInvocation> batch)
    {
        var request = new ToFunction.Types.InvocationBatchRequest { Target = target.ToProto() };
        request.State.AddRange(state);

        foreach (var invocation in batch)
        {
            request.Invocations.Add(new ToFunction.Types.Invocation { Caller = invocation.Caller?.ToProto(), Argument = invocation.Argument });
        }

        return new ToFunction { Invocation = request };
    }

    /// <summary>
    /// A runner of the endpoint's calls: takes the ready addresses one after the other, each for one call (and its
    /// incomplete-context round trips). It does not wait for an answer to be applied, nor for a failed call's backoff:
    /// those put the address back in the ready queue when they are done. Ends when no address is ready.
    /// </summary>
    private async Task RunCallsAsync(EndpointCalls calls)
    {
        while (true)
        {
            AddressMailbox? mailbox;
            lock (_gate)
            {
                mailbox = _stopping.IsCancellationRequested ? null : calls.NextOrLeave();
            }

            if (mailbox is null)
            {
                return;
            }

            await CallOnceAsync(mailbox).ConfigureAwait(false);
        }
    }

    /// <summary>Puts a running address (back) in its endpoint's ready queue, and starts a runner when one may start.</summary>
    private void MakeReady(AddressMailbox mailbox)
    {
        EndpointCalls? start;
        lock (_gate)
        {
            if (mailbox.Dropped)
            {
                return;
            }

            start = EnqueueReady(mailbox);
        }

        StartRunner(start);
    }

    /// <summary>Queues the address as ready (under the lock); the endpoint's calls when a runner must be started for it.</summary>
    private EndpointCalls? EnqueueReady(AddressMailbox mailbox)
    {
        if (!_calls.TryGetValue(mailbox.Endpoint, out var calls))
        {
            calls = new EndpointCalls(_options.MaxCallsInFlight);
            _calls.Add(mailbox.Endpoint, calls);
        }

        return calls.Enqueue(mailbox) ? calls : null;
    }

    private void StartRunner(EndpointCalls? calls)
    {
        if (calls is not null)
        {
            _ = Task.Run(() => RunCallsAsync(calls));
        }
    }

    /// <summary>
    /// One call of the address's batch (the next one, or the one it retries), and then what the answer leads to: applied
    /// where answers are applied (the address goes on from there), or, for a failure, a retry after a backoff (or the
    /// dead-letter topic). Retries for ever: dropping or skipping would lose or reorder the address's messages.
    /// </summary>
    private async Task CallOnceAsync(AddressMailbox mailbox)
    {
        try
        {
            var batch = TakeBatch(mailbox);
            if (batch is null)
            {
                return;
            }

            var incompleteRounds = 0;
            while (true)
            {
                string? failure;
                FromFunction? response = null;
                try
                {
                    response = await CallAsync(mailbox, batch).ConfigureAwait(false);
                    failure = null;
                }
                catch (FunctionCallException e)
                {
                    _metrics.RecordRetry(mailbox.Address);
                    failure = e.Message;
                }

                if (IsDropped(mailbox))
                {
                    return;
                }

                if (response is not null)
                {
                    switch (response.ResponseCase)
                    {
                        case FromFunction.ResponseOneofCase.InvocationResult:
                            failure = _effects?.Problem(mailbox.Address, response.InvocationResult);
                            if (failure is null)
                            {
                                Answered(mailbox, batch, response.InvocationResult);
                                return;
                            }

                            break;
                        case FromFunction.ResponseOneofCase.IncompleteInvocationContext:
                            if (++incompleteRounds <= _options.MaxIncompleteContextRounds)
                            {
                                Register(mailbox, response.IncompleteInvocationContext);
                                lock (_gate)
                                {
                                    mailbox.BatchAttempts = 0;
                                }

                                continue;
                            }

                            failure = $"still asks for state after {incompleteRounds - 1} rounds of registering it";
                            break;
                        default:
                            failure = "the answer has neither an invocation result nor an incomplete invocation context";
                            break;
                    }
                }

                CallFailed(mailbox, batch, failure!);
                return;
            }
        }
        catch (Exception e)
        {
            RunFailed(mailbox, e);
        }
    }

    /// <summary>The batch the address calls with: the one it retries, else its next (null, and the address no longer running, when it has none or was dropped).</summary>
    private List<PendingInvocation>? TakeBatch(AddressMailbox mailbox)
    {
        lock (_gate)
        {
            if (mailbox.Dropped)
            {
                mailbox.Running = false;
                return null;
            }

            if (mailbox.Batch is { } retried)
            {
                return retried;
            }

            Refill(mailbox);
            if (mailbox.Pending.Count == 0)
            {
                mailbox.Running = false;
                return null;
            }

            var size = Math.Min(mailbox.Pending.Count, mailbox.Bound);
            var batch = new List<PendingInvocation>(size);
            for (var i = 0; i < size; i++)
            {
                batch.Add(mailbox.Pending.Dequeue());
            }

            mailbox.Batch = batch;
            mailbox.BatchAttempts = 0;
            return batch;
        }
    }

    /// <summary>Something other than a failed call ended the address's run: stopping or a dropped address end it quietly, anything else faults the dispatcher.</summary>
    private void RunFailed(AddressMailbox mailbox, Exception failure)
    {
        if ((failure is OperationCanceledException && _stopping.IsCancellationRequested) || IsDropped(mailbox))
        {
            // Stopping, or given up while its answer was on its way (the host rewound): the next owner re-dispatches it.
            return;
        }

        Fail(mailbox.Address, failure);
    }

    private async Task<FromFunction> CallAsync(AddressMailbox mailbox, List<PendingInvocation> batch)
    {
        var request = BuildRequest(mailbox.Address, _state.Read(mailbox.Address), batch);
        var timing = _metrics.StartCall(mailbox.Address);
        try
        {
            var response = await _client.InvokeAsync(mailbox.Endpoint, mailbox.Address, request, _stopping.Token).ConfigureAwait(false);
            timing.Complete("ok");
            return response;
        }
        catch (FunctionCallException)
        {
            timing.Complete("error");
            throw;
        }
    }

    /// <summary>The batch was answered: its answer is applied where answers are applied (after the outputs that commit apart are safe).</summary>
    private void Answered(AddressMailbox mailbox, List<PendingInvocation> batch, FromFunction.Types.InvocationResponse result)
    {
        if (_effects is not null)
        {
            var before = _effects.BeforeApplyAsync(mailbox.Address, result, _stopping.Token);
            if (!before.IsCompletedSuccessfully)
            {
                // Waits for another cluster's acknowledgement without holding a call in flight.
                _ = AnsweredWhenSafeAsync(before, mailbox, batch, result);
                return;
            }
        }

        EndBatch(mailbox, () => ApplyAnswer(mailbox, batch, result));
    }

    private async Task AnsweredWhenSafeAsync(Task before, AddressMailbox mailbox, List<PendingInvocation> batch, FromFunction.Types.InvocationResponse result)
    {
        try
        {
            await before.ConfigureAwait(false);
            EndBatch(mailbox, () => ApplyAnswer(mailbox, batch, result));
        }
        catch (Exception e)
        {
            RunFailed(mailbox, e);
        }
    }

    private void ApplyAnswer(AddressMailbox mailbox, List<PendingInvocation> batch, FromFunction.Types.InvocationResponse result)
    {
        Apply(mailbox, batch, result);
        Recovered(mailbox);
        _metrics.RecordInvoked(mailbox.Address, batch.Count);
    }

    /// <summary>
    /// Runs what ends the address's batch (applying its answer, or dead-lettering it) where answers are applied, unless
    /// the address was dropped meanwhile; then, on the same thread, completes the batch (<see cref="NextBatch"/>).
    /// </summary>
    private void EndBatch(AddressMailbox mailbox, Action end)
    {
        void Run()
        {
            if (IsDropped(mailbox))
            {
                return;
            }

            end();
            NextBatch(mailbox);
        }

        if (_applier is null)
        {
            try
            {
                Run();
            }
            catch (Exception e)
            {
                RunFailed(mailbox, e);
            }

            return;
        }

        _applier.Post(Run, e => RunFailed(mailbox, e));
    }

    /// <summary>
    /// The address's batch is done: its messages no longer count as outstanding, and the address is ready again when
    /// more messages wait, else it stops running.
    /// </summary>
    private void NextBatch(AddressMailbox mailbox)
    {
        TaskCompletionSource? idle = null;
        EndpointCalls? start = null;
        lock (_gate)
        {
            if (mailbox.Dropped)
            {
                // Drop took its messages off the count already.
                return;
            }

            _outstanding -= mailbox.InFlight;
            _outstandingBytes -= mailbox.InFlightBytes;
            mailbox.Batch = null;
            if (_outstanding == 0)
            {
                idle = _idle;
                _idle = null;
            }

            Refill(mailbox);
            if (mailbox.Pending.Count > 0)
            {
                start = EnqueueReady(mailbox);
            }
            else
            {
                mailbox.Running = false;
            }
        }

        idle?.TrySetResult();
        StartRunner(start);
    }

    /// <summary>A call of the batch failed: dead-lettered when its endpoint allows no longer, else retried after a backoff (only this address waits).</summary>
    private void CallFailed(AddressMailbox mailbox, List<PendingInvocation> batch, string failure)
    {
        if (DeadLetterDue(mailbox, failure) is { } expired)
        {
            DeadLetter(mailbox, batch, expired);
            return;
        }

        var delay = RecordFailure(mailbox, batch.Count, failure);
        _ = Task.Delay(delay, _stopping.Token).ContinueWith(
            static (waited, state) =>
            {
                var (dispatcher, waiting) = ((FunctionDispatcher, AddressMailbox))state!;
                if (waited.IsCompletedSuccessfully)
                {
                    dispatcher.MakeReady(waiting);
                }
            },
            (this, mailbox),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>The failure to dead-letter the batch with, when its endpoint has a dead-letter topic and the batch has failed for longer than it allows.</summary>
    private FailingAddress? DeadLetterDue(AddressMailbox mailbox, string failure)
    {
        if (_effects is null || mailbox.Endpoint.Host?.DeadLetter is not { } deadLetter)
        {
            return null;
        }

        lock (_gate)
        {
            return mailbox.FailingSince is { } since && DateTimeOffset.UtcNow - since >= deadLetter.After
                ? new FailingAddress(mailbox.Address, mailbox.Attempts + 1, since, failure, mailbox.Waiting + mailbox.InFlight)
                : null;
        }
    }

    /// <summary>Writes the batch to the dead-letter topic where answers are applied (same commit), and the address goes on with its next messages.</summary>
    private void DeadLetter(AddressMailbox mailbox, List<PendingInvocation> batch, FailingAddress failure)
    {
        Interlocked.Increment(ref _failedCalls);
        _metrics.RecordFailedCall(mailbox.Address);
        EndBatch(mailbox, () =>
        {
            _effects!.DeadLetter(mailbox.Address, batch, failure);
            lock (_gate)
            {
                // The next batch starts a failure run of its own.
                StopFailing(mailbox);
            }

            _metrics.RecordDeadLettered(mailbox.Address, batch.Count);
            _logger.LogWarning(
                "function {Address}: {Count} message(s) failing since {Since:O} ({Attempts} attempts; last error: {Reason}) written to the dead-letter topic {Topic}; the address goes on with its next messages",
                mailbox.Address,
                batch.Count,
                failure.FirstFailure,
                failure.Attempts,
                failure.LastError,
                mailbox.Endpoint.Host!.DeadLetter!.Topic);
        });
    }

    /// <summary>Fills the mailbox's in-memory queue up to its bound, from disk first, then from its overflow (under the lock).</summary>
    private void Refill(AddressMailbox mailbox)
    {
        var room = mailbox.Bound - mailbox.Pending.Count;
        if (room > 0 && mailbox.Spill is { Count: > 0 })
        {
            ChangeSpill(mailbox, spill =>
            {
                foreach (var message in spill.Take(room))
                {
                    mailbox.Pending.Enqueue(message);
                }
            });
            room = mailbox.Bound - mailbox.Pending.Count;
        }

        if ((mailbox.Spill?.Count ?? 0) == 0)
        {
            while (room-- > 0 && mailbox.Overflow.Count > 0)
            {
                mailbox.Pending.Enqueue(mailbox.Overflow.Dequeue());
            }
        }

        if (mailbox.Overflow.Count == 0)
        {
            _overflowing.Remove(mailbox);
        }
    }

    /// <summary>Changes the mailbox's spill (if it has one) and carries the change into the dispatcher's totals and the gauge (under the lock).</summary>
    private void ChangeSpill(AddressMailbox mailbox, Action<MessageSpill> change)
    {
        if (mailbox.Spill is not { } spill)
        {
            return;
        }

        var before = (spill.Count, spill.Bytes, spill.FileBytes);
        change(spill);
        _spilled += spill.Count - before.Count;
        _spilledBytes += spill.Bytes - before.Bytes;
        _spillFileBytes += spill.FileBytes - before.FileBytes;
        if (spill.Count != before.Count)
        {
            _metrics.RecordSpilled(mailbox.Address, spill.Count - before.Count);
        }
    }

    /// <summary>This dispatcher's own directory for spilled messages (under the lock).</summary>
    private string SpillDirectory() => _spillDirectory ??= Path.Combine(
        _options.SpillDirectory ?? Path.Combine(Path.GetTempPath(), "statefun-spill"),
        $"{Environment.ProcessId}-{Guid.NewGuid():N}");

    /// <summary>Ends the mailbox's run of failed calls (under the lock): it no longer counts as failing.</summary>
    private void StopFailing(AddressMailbox mailbox)
    {
        mailbox.FailingSince = null;
        mailbox.Attempts = 0;
        if (_failing.Remove(mailbox))
        {
            _metrics.AddressFailing(mailbox.Address, -1);
        }
    }

    private bool IsDropped(AddressMailbox mailbox)
    {
        lock (_gate)
        {
            return mailbox.Dropped;
        }
    }

    /// <summary>Counts and shows a failed call of the address's batch (gauge, condition, a warning at a bounded rate); returns how long it backs off.</summary>
    private TimeSpan RecordFailure(AddressMailbox mailbox, int batchSize, string reason)
    {
        _metrics.RecordFailedCall(mailbox.Address);
        TimeSpan delay;
        bool first;
        bool due;
        int attempts;
        DateTimeOffset since;
        lock (_gate)
        {
            var now = DateTimeOffset.UtcNow;
            first = mailbox.FailingSince is null;
            if (first && !mailbox.Dropped)
            {
                mailbox.FailingSince = now;
                mailbox.Attempts = 0;
                _failing.Add(mailbox);
                _metrics.AddressFailing(mailbox.Address, 1);
            }

            mailbox.Attempts++;
            mailbox.BatchAttempts++;
            delay = RetryBackoff.Delay(mailbox.BatchAttempts, _options.InitialBackoff, _options.MaxBackoff);
            mailbox.LastError = reason;
            attempts = mailbox.Attempts;
            since = mailbox.FailingSince ?? now;
            due = first || now - mailbox.LastWarned >= _options.FailureLogInterval;
            if (due)
            {
                mailbox.LastWarned = now;
            }
        }

        // Counted once the address shows as failing: whoever sees the count sees the address failing too.
        Interlocked.Increment(ref _failedCalls);
        if (due && _warnings.TryTake(out var suppressed))
        {
            _logger.LogWarning(
                "function {Address}: call with {Count} message(s) failed ({Reason}); {Attempts} failed attempt(s) since {Since:O}; retrying in {Delay} ms; only this address waits{Suppressed}",
                mailbox.Address,
                batchSize,
                reason,
                attempts,
                since,
                (long)delay.TotalMilliseconds,
                suppressed > 0 ? $" ({suppressed} warning(s) about failing addresses left out)" : string.Empty);
        }

        return delay;
    }

    private void Recovered(AddressMailbox mailbox)
    {
        int attempts;
        DateTimeOffset since;
        lock (_gate)
        {
            if (mailbox.FailingSince is not { } failingSince)
            {
                return;
            }

            since = failingSince;
            attempts = mailbox.Attempts;
            StopFailing(mailbox);
        }

        _logger.LogInformation("function {Address}: answered again after {Attempts} failed attempt(s) since {Since:O}", mailbox.Address, attempts, since);
    }

    private void Register(AddressMailbox mailbox, FromFunction.Types.IncompleteInvocationContext context)
    {
        _state.Register(mailbox.Address, context.MissingValues);
        _logger.LogDebug("function {Address}: registered state {States}", mailbox.Address, string.Join(", ", context.MissingValues.Select(v => v.StateName)));
    }

    private void Apply(AddressMailbox mailbox, List<PendingInvocation> batch, FromFunction.Types.InvocationResponse result)
    {
        _state.Apply(mailbox.Address, result.StateMutations);
        foreach (var message in result.OutgoingMessages)
        {
            var target = FunctionAddress.FromProto(message.Target);
            if (_effects is null)
            {
                Send(target, mailbox.Address, message.Argument);
            }
            else
            {
                _effects.Message(target, mailbox.Address, message.Argument);
            }
        }

        foreach (var delayed in result.DelayedInvocations)
        {
            if (_effects is not null)
            {
                _effects.Delayed(mailbox.Address, delayed);
            }
            else if (delayed.IsCancellationRequest)
            {
                CancelDelayed(delayed.CancellationToken);
            }
            else
            {
                ScheduleDelayed(mailbox.Address, delayed);
            }
        }

        foreach (var egress in result.OutgoingEgresses)
        {
            var egressId = new TypeName(egress.EgressNamespace, egress.EgressType);
            if (_effects is not null)
            {
                _effects.Egress(mailbox.Address, egressId, egress.Argument);
            }
            else
            {
                var egressSink = _egress ?? throw new InvalidOperationException($"function {mailbox.Address} wrote to egress '{egressId}', but this ingress has no egress for functions");
                egressSink.Send(egressId, egress.Argument);
            }

            _metrics.RecordEgress(mailbox.Address);
        }

        _effects?.Applied(mailbox.Address, batch);
    }

    private void ScheduleDelayed(FunctionAddress caller, FromFunction.Types.DelayedInvocation delayed)
    {
        var target = FunctionAddress.FromProto(delayed.Target);
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        lock (_gate)
        {
            // A delayed message counts as outstanding until delivered (see WhenIdle).
            _outstanding++;
            if (!string.IsNullOrEmpty(delayed.CancellationToken))
            {
                _cancellableDelays[delayed.CancellationToken] = cancel;
            }
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, delayed.DelayInMs)), cancel.Token).ConfigureAwait(false);
                Send(target, caller, delayed.Argument);
            }
            catch (OperationCanceledException)
            {
                // Cancelled by the function (or the dispatcher stops): nothing to deliver.
            }
            catch (Exception e)
            {
                Fail(caller, e);
            }
            finally
            {
                lock (_gate)
                {
                    if (!string.IsNullOrEmpty(delayed.CancellationToken) && _cancellableDelays.TryGetValue(delayed.CancellationToken, out var registered) && registered == cancel)
                    {
                        _cancellableDelays.Remove(delayed.CancellationToken);
                    }
                }

                cancel.Dispose();
                DelayedDelivered();
            }
        });
    }

    private void CancelDelayed(string token)
    {
        CancellationTokenSource? cancel;
        lock (_gate)
        {
            _cancellableDelays.Remove(token, out cancel);
        }

        try
        {
            cancel?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already delivered.
        }
    }

    /// <summary>A delayed message was delivered (or cancelled): it no longer counts as outstanding.</summary>
    private void DelayedDelivered()
    {
        TaskCompletionSource? idle = null;
        lock (_gate)
        {
            if (--_outstanding == 0)
            {
                idle = _idle;
                _idle = null;
            }
        }

        idle?.TrySetResult();
    }

    private void Fail(FunctionAddress address, Exception failure)
    {
        if (_stopping.IsCancellationRequested)
        {
            // Stopping: unfinished work is simply not committed; nothing failed.
            return;
        }

        _logger.LogError(failure, "function {Address}: dispatch failed; the ingress stops without committing: {Reason}", address, failure.Message);
        TaskCompletionSource? idle;
        lock (_gate)
        {
            _fault ??= failure;
            idle = _idle;
            _idle = null;
        }

        idle?.TrySetException(new InvalidOperationException("the function dispatcher failed: " + failure.Message, failure));
    }
}
