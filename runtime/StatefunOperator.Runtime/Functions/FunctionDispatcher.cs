using Google.Protobuf;
using Microsoft.Extensions.Logging;
using StatefunOperator.Module;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.Functions;

/// <summary>
/// Invokes remote functions with the StateFun request-reply protocol, keyed by function address:
/// per address at most one request in flight; messages that arrive meanwhile wait in the address's
/// mailbox and go together in the next request (up to the endpoint's <c>maxNumBatchRequests</c>).
/// Answers are applied in order: the incomplete-context round trip registers the declared state and
/// re-sends the same batch; state mutations update the address's state (in memory, this process owns
/// every address it dispatches); outgoing messages are dispatched the same way; delayed messages after
/// their delay; egress messages go to <see cref="IFunctionEgress"/>.
/// A failed call (HTTP error, timeout) is retried with backoff, with the same batch, so an address's
/// messages are never dropped or reordered; a failing address blocks only itself (and the commit, see
/// <see cref="WhenIdle"/>). A bug-like failure (no endpoint, unwritable egress message) faults the
/// dispatcher: <see cref="Send"/> and <see cref="WhenIdle"/> throw, the ingress stops without committing.
/// </summary>
public sealed class FunctionDispatcher : IDisposable
{
    private readonly IReadOnlyList<FunctionEndpoint> _endpoints;
    private readonly IFunctionClient _client;
    private readonly IFunctionEgress? _egress;
    private readonly IFunctionState _state;
    private readonly IFunctionEffects? _effects;
    private readonly DispatchOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<FunctionAddress, AddressMailbox> _mailboxes = [];
    private readonly Dictionary<string, CancellationTokenSource> _cancellableDelays = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly FunctionMetrics _metrics = new();
    private long _outstanding;
    private long _failedCalls;
    private TaskCompletionSource? _idle;
    private Exception? _fault;

    /// <param name="state">Where state lives (default: this process's memory).</param>
    /// <param name="effects">Where outputs go (default: messages dispatched here, delayed ones on in-memory timers, egress messages to <paramref name="egress"/>).</param>
    public FunctionDispatcher(
        IReadOnlyList<FunctionEndpoint> endpoints,
        IFunctionClient client,
        IFunctionEgress? egress,
        ILogger logger,
        DispatchOptions? options = null,
        IFunctionState? state = null,
        IFunctionEffects? effects = null)
    {
        _endpoints = endpoints;
        _client = client;
        _egress = egress;
        _logger = logger;
        _options = options ?? DispatchOptions.Default;
        _state = state ?? new InMemoryFunctionState();
        _effects = effects;
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

    /// <summary>Failed calls so far (each retried): a function that keeps failing shows here and in the logs.</summary>
    public long FailedCalls => Interlocked.Read(ref _failedCalls);

    /// <summary>Queues a message for <paramref name="target"/>; it is invoked after every message queued for it before.</summary>
    public void Send(FunctionAddress target, FunctionAddress? caller, TypedValue argument)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(argument);
        AddressMailbox? start = null;
        lock (_gate)
        {
            if (_fault is not null)
            {
                throw new InvalidOperationException("the function dispatcher failed: " + _fault.Message, _fault);
            }

            if (!_mailboxes.TryGetValue(target, out var mailbox))
            {
                var endpoint = FunctionEndpoints.Resolve(_endpoints, target.Type)
                    ?? throw new InvalidOperationException($"no endpoint serves function type '{target.Type}' (message for {target})");
                mailbox = new AddressMailbox(target, endpoint);
                _mailboxes.Add(target, mailbox);
            }

            _outstanding++;
            mailbox.Pending.Enqueue(new PendingInvocation(caller, argument));
            if (!mailbox.Running)
            {
                mailbox.Running = true;
                start = mailbox;
            }
        }

        if (start is not null)
        {
            _ = Task.Run(() => RunMailboxAsync(start));
        }
    }

    /// <summary>
    /// Completes when every message sent so far, and every message they caused (delayed ones included),
    /// has been invoked and its effects applied (egress records queued to the producer). Fails when the
    /// dispatcher failed.
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

    private async Task RunMailboxAsync(AddressMailbox mailbox)
    {
        try
        {
            // Bounded by the work: every round takes at least one pending message.
            while (!_stopping.IsCancellationRequested)
            {
                List<PendingInvocation> batch;
                lock (_gate)
                {
                    if (mailbox.Pending.Count == 0)
                    {
                        mailbox.Running = false;
                        return;
                    }

                    var size = Math.Min(mailbox.Pending.Count, Math.Max(1, mailbox.Endpoint.MaxNumBatchRequests));
                    batch = new List<PendingInvocation>(size);
                    for (var i = 0; i < size; i++)
                    {
                        batch.Add(mailbox.Pending.Dequeue());
                    }
                }

                await InvokeUntilAnsweredAsync(mailbox, batch).ConfigureAwait(false);
                Completed(batch.Count);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Fail(mailbox.Address, e);
        }
    }

    private async Task InvokeUntilAnsweredAsync(AddressMailbox mailbox, List<PendingInvocation> batch)
    {
        var incompleteRounds = 0;
        // Retries until answered or the dispatcher stops: dropping or skipping would lose or reorder
        // the address's messages. The wait between attempts is capped (MaxBackoff).
        for (var attempt = 1; ; attempt++)
        {
            _stopping.Token.ThrowIfCancellationRequested();
            FromFunction response;
            try
            {
                var request = BuildRequest(mailbox.Address, _state.Read(mailbox.Address), batch);
                var timing = _metrics.StartCall(mailbox.Address);
                try
                {
                    response = await _client.InvokeAsync(mailbox.Endpoint, mailbox.Address, request, _stopping.Token).ConfigureAwait(false);
                    timing.Complete("ok");
                }
                catch (FunctionCallException)
                {
                    timing.Complete("error");
                    throw;
                }
            }
            catch (FunctionCallException e)
            {
                _metrics.RecordRetry(mailbox.Address);
                await RetryLaterAsync(mailbox, batch.Count, attempt, e.Message).ConfigureAwait(false);
                continue;
            }

            switch (response.ResponseCase)
            {
                case FromFunction.ResponseOneofCase.InvocationResult:
                    Apply(mailbox, response.InvocationResult);
                    if (_effects is not null)
                    {
                        await _effects.AfterInvocationAsync(_stopping.Token).ConfigureAwait(false);
                    }

                    _metrics.RecordInvoked(mailbox.Address, batch.Count);
                    return;
                case FromFunction.ResponseOneofCase.IncompleteInvocationContext:
                    if (++incompleteRounds > _options.MaxIncompleteContextRounds)
                    {
                        await RetryLaterAsync(mailbox, batch.Count, attempt, $"still asks for state after {incompleteRounds - 1} rounds of registering it").ConfigureAwait(false);
                        incompleteRounds = 0;
                        continue;
                    }

                    Register(mailbox, response.IncompleteInvocationContext);
                    attempt = 0;
                    continue;
                default:
                    await RetryLaterAsync(mailbox, batch.Count, attempt, "the answer has neither an invocation result nor an incomplete invocation context").ConfigureAwait(false);
                    continue;
            }
        }
    }

    private async Task RetryLaterAsync(AddressMailbox mailbox, int batchSize, int attempt, string reason)
    {
        Interlocked.Increment(ref _failedCalls);
        _metrics.RecordFailedCall(mailbox.Address);
        var delay = RetryBackoff.Delay(attempt, _options.InitialBackoff, _options.MaxBackoff);
        _logger.LogWarning(
            "function {Address}: call {Attempt} with {Count} message(s) failed ({Reason}); retrying in {Delay} ms; this address waits meanwhile",
            mailbox.Address,
            attempt,
            batchSize,
            reason,
            (long)delay.TotalMilliseconds);
        await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
    }

    private void Register(AddressMailbox mailbox, FromFunction.Types.IncompleteInvocationContext context)
    {
        _state.Register(mailbox.Address, context.MissingValues);
        _logger.LogDebug("function {Address}: registered state {States}", mailbox.Address, string.Join(", ", context.MissingValues.Select(v => v.StateName)));
    }

    private void Apply(AddressMailbox mailbox, FromFunction.Types.InvocationResponse result)
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
    }

    private void ScheduleDelayed(FunctionAddress caller, FromFunction.Types.DelayedInvocation delayed)
    {
        var target = FunctionAddress.FromProto(delayed.Target);
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        lock (_gate)
        {
            // A delayed message counts as outstanding until delivered, so a commit waits for it (see WhenIdle).
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
                Completed(1);
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

    private void Completed(int count)
    {
        TaskCompletionSource? idle = null;
        lock (_gate)
        {
            _outstanding -= count;
            if (_outstanding == 0)
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
