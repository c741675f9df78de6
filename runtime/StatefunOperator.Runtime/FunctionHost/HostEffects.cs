using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using StatefunOperator.Module;
using StatefunOperator.Module.Model;
using StatefunOperator.Module.Validation;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Pipeline;
using StatefunOperator.Runtime.Protocol;
using StatefunOperator.Runtime.Routing;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>
/// Where a function host's invocations put their outputs. On the host's own cluster everything goes
/// through the host's producer, so with exactly-once it joins the transaction that commits the inbox
/// offsets: messages to functions (to their host's inbox), egress records (to any declared egress),
/// delayed messages (changelog entries, see <see cref="HostFunctionState"/>). Egresses and hosts on
/// another cluster get a producer of their own: at-least-once, an invocation completes only when its
/// records there are acknowledged (none: not waited for).
/// </summary>
internal sealed class HostEffects : IFunctionEffects, IDisposable
{
    private readonly FunctionHostSettings _host;
    private readonly InboxRouter _router;
    private readonly IEgressProducer _producer;
    private readonly HostFunctionState _state;
    private readonly Action<Error> _onFailure;
    private readonly IReadOnlyDictionary<TypeName, KafkaEgressOptions> _egresses;
    private readonly Func<string, IReadOnlyDictionary<string, string>, IEgressProducer> _producerFor;
    private readonly ILogger _logger;
    private readonly Dictionary<string, IEgressProducer> _others = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly List<Task> _pending = [];

    public HostEffects(
        FunctionHostSettings host,
        InboxRouter router,
        IEgressProducer producer,
        HostFunctionState state,
        Action<Error> onFailure,
        IReadOnlyList<KafkaEgressOptions> egresses,
        Func<string, IReadOnlyDictionary<string, string>, IEgressProducer> producerFor,
        ILogger logger)
    {
        _host = host;
        _router = router;
        _producer = producer;
        _state = state;
        _onFailure = onFailure;
        _egresses = egresses.ToDictionary(e => e.Id);
        _producerFor = producerFor;
        _logger = logger;
    }

    /// <summary>Egress messages that named no declared egress: logged and counted, not written.</summary>
    public long UndeliverableEgressMessages { get; private set; }

    public void Message(FunctionAddress target, FunctionAddress caller, TypedValue argument)
    {
        var targetHost = _router.HostOf(target.Type);
        Produce(targetHost.Address, targetHost.Properties, InboxRouter.Route(targetHost, target, caller, argument), wait: true);
    }

    public void Delayed(FunctionAddress caller, FromFunction.Types.DelayedInvocation delayed)
    {
        ArgumentNullException.ThrowIfNull(delayed);
        if (delayed.IsCancellationRequest)
        {
            _state.Cancel(caller, delayed.CancellationToken);
            return;
        }

        var target = FunctionAddress.FromProto(delayed.Target);
        _router.HostOf(target.Type); // fails now, not when it fires, for a type no endpoint serves
        _state.Schedule(caller, new DelayedEntry
        {
            Message = new Envelope { Target = delayed.Target, Caller = caller.ToProto(), Argument = delayed.Argument },
            FireAtMs = _state.NowMs + Math.Max(0, delayed.DelayInMs),
            CancellationToken = delayed.CancellationToken ?? string.Empty,
        });
    }

    public void Egress(FunctionAddress caller, TypeName egress, TypedValue argument)
    {
        if (!_egresses.TryGetValue(egress, out var options))
        {
            UndeliverableEgressMessages++;
            _logger.LogError(
                "function {Caller} wrote to egress '{Egress}', which this host does not know (declared: {Declared}); the message is dropped",
                caller,
                egress,
                _egresses.Count == 0 ? "none" : string.Join(", ", _egresses.Keys));
            return;
        }

        Produce(options.Address, options.Properties, KafkaFunctionEgress.ToRecord(argument), wait: options.Semantic != KafkaProducerSemantic.None);
    }

    /// <summary>Fires a delayed message: its envelope goes to the target's inbox (its entry was deleted by whoever took it).</summary>
    public void Fire(DelayedMessage message)
    {
        var target = FunctionAddress.FromProto(message.Entry.Message.Target);
        Message(target, message.Owner, message.Entry.Message.Argument);
    }

    public async Task AfterInvocationAsync(CancellationToken cancellationToken)
    {
        Task[] pending;
        lock (_gate)
        {
            pending = [.. _pending];
            _pending.Clear();
        }

        if (pending.Length > 0)
        {
            await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        foreach (var producer in _others.Values)
        {
            producer.Flush(TimeSpan.FromSeconds(10));
            producer.Dispose();
        }
    }

    private void Produce(string address, IEnumerable<KeyValuePair<string, string>> properties, KafkaEgressRecord record, bool wait)
    {
        if (address == _host.Address)
        {
            _producer.Produce(record, _onFailure);
            return;
        }

        IEgressProducer other;
        lock (_gate)
        {
            if (!_others.TryGetValue(address, out var existing))
            {
                existing = _producerFor(address, PropertyList.ToMap(properties));
                _others.Add(address, existing);
            }

            other = existing;
        }

        if (!wait)
        {
            other.Produce(record, error => _logger.LogWarning("function host {Host}: a record for {Topic} was not delivered: {Error}", _host.Id, record.Topic, error.Reason));
            return;
        }

        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        other.Produce(record, error => delivered.TrySetException(new KafkaException(error)));
        lock (_gate)
        {
            _pending.Add(WaitDelivered(other, delivered.Task));
        }
    }

    /// <summary>Acknowledged when a flush leaves nothing queued and no failure was reported.</summary>
    private static async Task WaitDelivered(IEgressProducer producer, Task failed)
    {
        await Task.Run(() => producer.Flush(TimeSpan.FromSeconds(30))).ConfigureAwait(false);
        if (failed.IsFaulted)
        {
            await failed.ConfigureAwait(false);
        }
    }
}
