using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Google.Protobuf;
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
/// Where a function host's invocations put their outputs. On the host's own cluster everything goes through the
/// host's producer when the answer is applied (on the consumer thread), so with exactly-once it joins the
/// transaction that commits the state change and the inbox offsets: messages to functions (to their host's inbox),
/// egress records (to any declared egress), delayed messages (changelog entries, see <see cref="HostFunctionState"/>).
/// Egresses and hosts on another cluster get a producer of their own, and their records are written before the
/// answer is applied: at-least-once, the answer is applied only once they are acknowledged (a crash in between
/// calls the function again: duplicates there, never a loss); delivery semantic none: not waited for.
/// </summary>
internal sealed class HostEffects : IFunctionEffects, IDisposable
{
    private static readonly TimeSpan RemoteFlushTimeout = TimeSpan.FromSeconds(30);
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

    /// <summary>Every host and egress is on the host's own cluster (the usual case): nothing is written before an answer is applied.</summary>
    private readonly bool _allOnHostCluster;

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
        _allOnHostCluster = router.AllOn(host.Address) && egresses.All(e => e.Address == host.Address);
    }

    /// <summary>Egress messages that named no declared egress: logged and counted, not written.</summary>
    public long UndeliverableEgressMessages { get; private set; }

    public string? Problem(FunctionAddress caller, FromFunction.Types.InvocationResponse result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var targets = result.OutgoingMessages.Select(m => m.Target)
            .Concat(result.DelayedInvocations.Where(d => !d.IsCancellationRequest).Select(d => d.Target));
        foreach (var target in targets)
        {
            if (target is null)
            {
                return "the answer has a message without a target address";
            }

            var type = new TypeName(target.Namespace, target.Type);
            try
            {
                _router.HostOf(type);
            }
            catch (InvalidOperationException e)
            {
                return $"the answer has a message for {type}/{target.Id}, which cannot be delivered: {e.Message}";
            }
        }

        return null;
    }

    public async Task BeforeApplyAsync(FunctionAddress caller, FromFunction.Types.InvocationResponse result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (_allOnHostCluster)
        {
            return;
        }

        List<Task>? acknowledged = null;
        foreach (var message in result.OutgoingMessages)
        {
            var target = FunctionAddress.FromProto(message.Target);
            var targetHost = _router.HostOf(target.Type);
            if (targetHost.Address != _host.Address)
            {
                (acknowledged ??= []).Add(ProduceRemote(targetHost.Address, targetHost.Properties, InboxRouter.Route(targetHost, target, caller, message.Argument), wait: true));
            }
        }

        foreach (var egress in result.OutgoingEgresses)
        {
            if (_egresses.TryGetValue(new TypeName(egress.EgressNamespace, egress.EgressType), out var options) && options.Address != _host.Address)
            {
                (acknowledged ??= []).Add(ProduceRemote(options.Address, options.Properties, KafkaFunctionEgress.ToRecord(egress.Argument), wait: options.Semantic != KafkaProducerSemantic.None));
            }
        }

        if (acknowledged is not null)
        {
            await Task.WhenAll(acknowledged).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Message(FunctionAddress target, FunctionAddress caller, TypedValue argument)
    {
        var targetHost = _router.HostOf(target.Type);
        if (targetHost.Address == _host.Address)
        {
            _producer.Produce(InboxRouter.Route(targetHost, target, caller, argument), _onFailure);
        }
    }

    public void Delayed(FunctionAddress caller, FromFunction.Types.DelayedInvocation delayed)
    {
        ArgumentNullException.ThrowIfNull(delayed);
        if (delayed.IsCancellationRequest)
        {
            _state.Cancel(caller, delayed.CancellationToken);
            return;
        }

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

        if (options.Address == _host.Address)
        {
            _producer.Produce(KafkaFunctionEgress.ToRecord(argument), _onFailure);
        }
    }

    public void Applied(FunctionAddress address, IReadOnlyList<PendingInvocation> batch) => _state.Completed(batch);

    public void DeadLetter(FunctionAddress address, IReadOnlyList<PendingInvocation> batch, FailingAddress failure)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(failure);
        var topic = _host.DeadLetter?.Topic ?? throw new InvalidOperationException($"function host {_host.Id} has no dead-letter topic");
        var key = AddressKey.Of(address);
        foreach (var message in batch)
        {
            var headers = new Headers
            {
                { "statefun.address", Encoding.UTF8.GetBytes(address.ToString()) },
                { "statefun.caller", Encoding.UTF8.GetBytes(message.Caller?.ToString() ?? string.Empty) },
                { "statefun.error", Encoding.UTF8.GetBytes(failure.LastError) },
                { "statefun.attempts", Encoding.UTF8.GetBytes(failure.Attempts.ToString(CultureInfo.InvariantCulture)) },
                { "statefun.first-failure", Encoding.UTF8.GetBytes(failure.FirstFailure.ToString("O", CultureInfo.InvariantCulture)) },
            };
            _producer.Produce(new KafkaEgressRecord(topic, key, message.ToEnvelope().ToByteArray(), headers), _onFailure);
        }

        _state.Completed(batch);
    }

    /// <summary>
    /// Fires a delayed message: its envelope goes to the target's inbox (its entry was deleted by whoever took it). On
    /// another cluster it is written and acknowledged before the deletion commits.
    /// </summary>
    public void Fire(DelayedMessage message)
    {
        var target = FunctionAddress.FromProto(message.Entry.Message.Target);
        var targetHost = _router.HostOf(target.Type);
        var record = InboxRouter.Route(targetHost, target, message.Owner, message.Entry.Message.Argument);
        if (targetHost.Address == _host.Address)
        {
            _producer.Produce(record, _onFailure);
        }
        else
        {
            ProduceRemote(targetHost.Address, targetHost.Properties, record, wait: true).GetAwaiter().GetResult();
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

    private Task ProduceRemote(string address, IEnumerable<KeyValuePair<string, string>> properties, KafkaEgressRecord record, bool wait)
    {
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
            return Task.CompletedTask;
        }

        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        other.Produce(record, error => delivered.TrySetException(new KafkaException(error)));
        return WaitDelivered(other, delivered.Task);
    }

    /// <summary>Acknowledged when a flush leaves nothing queued and no failure was reported.</summary>
    private static async Task WaitDelivered(IEgressProducer producer, Task failed)
    {
        await Task.Run(() => producer.Flush(RemoteFlushTimeout)).ConfigureAwait(false);
        if (failed.IsFaulted)
        {
            await failed.ConfigureAwait(false);
        }
    }
}
