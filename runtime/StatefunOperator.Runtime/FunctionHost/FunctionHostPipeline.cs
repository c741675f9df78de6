using Microsoft.Extensions.Logging;
using StatefunOperator.Module;
using StatefunOperator.Module.Validation;
using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.FunctionHost.Store;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Ingress;
using StatefunOperator.Runtime.Pipeline;
using StatefunOperator.Runtime.Protocol;
using StatefunOperator.Runtime.Routing;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>
/// One function host: consumes its inbox topic as a member of the host's group (so replicas share the
/// partitions, and with them the addresses), keeps the state of the owned addresses (restored from the
/// changelog on assignment), invokes the endpoint's functions (per address one request in flight, batching,
/// retries), and commits state changes, outputs and inbox offsets together: one Kafka transaction per
/// boundary with exactly-once; with at-least-once, outputs first, then the state changes once the outputs are
/// acknowledged, then the inbox offsets once the changes are (a crash leaves state behind outputs, never ahead). No
/// boundary waits for a call: answers are applied on the consumer thread between boundaries, and what is unfinished at
/// a boundary is written as pending changelog entries (<see cref="HostBoundary"/>). It is the ingress machinery over
/// the inbox, with the function dispatcher as sink and the state inside the checkpoint.
/// </summary>
public sealed class FunctionHostPipeline : IDisposable
{
    private readonly KafkaIngress<Envelope> _inbox;
    private readonly IEgressProducer _producer;
    private readonly FunctionDispatcher _dispatcher;
    private readonly HttpFunctionClient? _client;
    private readonly HostEffects _effects;
    private readonly HostFunctionState _state;
    private readonly StoreResources _stores;

    /// <summary>
    /// How long the inbox consumer waits for a record while idle: answers are applied on its thread, so this bounds how
    /// long a finished call waits to be applied when no record arrives (librdkafka has no wake-up for a waiting poll).
    /// </summary>
    private static readonly TimeSpan AnswerPoll = TimeSpan.FromMilliseconds(5);

    private FunctionHostPipeline(FunctionHostSettings host, KafkaIngress<Envelope> inbox, IEgressProducer producer, FunctionDispatcher dispatcher, HttpFunctionClient? client, HostEffects effects, HostFunctionState state, StoreResources stores)
    {
        _state = state;
        _stores = stores;
        Host = host;
        _inbox = inbox;
        _producer = producer;
        _dispatcher = dispatcher;
        _client = client;
        _effects = effects;
        Metrics.FailingAddressRegistry.Register(host.Id, dispatcher.FailingAddresses);
    }

    public FunctionDispatcher Dispatcher => _dispatcher;

    public FunctionHostSettings Host { get; }

    /// <summary>The consumer group of a host's replicas.</summary>
    public static string GroupId(FunctionHostSettings host) => FunctionHosts.GroupId(host.Id);

    /// <param name="instanceId">Stable per replica (pod name): the static group membership and the transactional id; null for dynamic membership.</param>
    public static FunctionHostPipeline Create(
        FunctionEndpoint endpoint,
        ModuleConfiguration module,
        string? instanceId,
        ILogger logger,
        IFunctionClient? client = null,
        CheckpointOptions? checkpointOptions = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(module);
        var host = endpoint.Host ?? throw new InvalidOperationException(endpoint.HostProblem);
        var options = checkpointOptions ?? CheckpointOptions.Default;
        var semantic = host.ExactlyOnce ? KafkaProducerSemantic.ExactlyOnce : KafkaProducerSemantic.AtLeastOnce;
        var hostOutput = new KafkaEgressOptions(TypeName.Parse(host.Id), host.Address, semantic, host.TransactionTimeout, host.PropertyMap());
        var transactionalId = ProducerConfigFactory.TransactionalId("host", host.Id, instanceId ?? Guid.NewGuid().ToString("N"));
        var producer = new KafkaEgressProducer(ProducerConfigFactory.Create(hostOutput, transactionalId), logger);
        var failures = new DeliveryFailures();
        Action<Confluent.Kafka.Error> onFailure = failures.Record;
        var delivered = new DeliveredChangelog();
        Action<ChangelogWrite> produceChangelog = write => producer.Produce(
            new KafkaEgressRecord(host.ChangelogTopic, write.Key, write.Value, Partition: write.Partition),
            onFailure,
            offset => delivered.Delivered(write.Partition, offset));
        // Exactly-once: a change joins the transaction of its outputs. At-least-once: it waits for their acknowledgement.
        var deferred = host.ExactlyOnce ? null : new DeferredChangelog(produceChangelog);
        var state = new HostFunctionState(host.Partitions, deferred is null ? produceChangelog : deferred.Add, delivered: delivered);
        var stores = StoreResources.For(host, instanceId);
        var effects = new HostEffects(
            host,
            new InboxRouter(module.Endpoints),
            producer,
            state,
            onFailure,
            module.Egresses,
            (address, properties) => new KafkaEgressProducer(
                ProducerConfigFactory.Create(new KafkaEgressOptions(TypeName.Parse(host.Id), address, KafkaProducerSemantic.AtLeastOnce, host.TransactionTimeout, properties), transactionalId),
                logger),
            logger);
        var dispatchOptions = DispatchOptions.Default.With(host.Limits);
        var httpClient = client is null ? new HttpFunctionClient(dispatchOptions.MaxCallsInFlight) : null;
        var answers = new AnswerQueue();
        var unfinished = new UnfinishedMessages();
        var dispatcher = new FunctionDispatcher([endpoint], client ?? httpClient!, null, logger, dispatchOptions, state, effects, answers);
        var boundary = new HostBoundary(answers, unfinished, state, dispatcher);
        ICheckpoint inner = host.ExactlyOnce
            ? new TransactionalCheckpoint(producer, options, logger, hostOutput, boundary)
            : new CommitCheckpoint(producer, failures, options, logger, deferred, boundary);
        // What decides whether a store is trusted: asked while the host joins its group where it has stores already.
        var facts = new ChangelogFactsSource(() => ChangelogFacts.ReadAsync(host, logger), startNow: stores.HasStores);
        var checkpoint = new HostCheckpoint(inner, host, state, effects, dispatcher, answers, unfinished, logger, deferred, stores, facts);

        var properties = host.PropertyMap();
        if (instanceId is not null)
        {
            // Static membership: a restarted replica gets its partitions back at once, without a rebalance.
            properties["group.instance.id"] = instanceId;
        }

        var id = TypeName.Parse(host.Id);
        var spec = new KafkaIngressSpec<Envelope>(
            new IngressIdentifier<Envelope>(id.Namespace, id.Name),
            host.Address,
            GroupId(host),
            [host.InboxTopic],
            new EnvelopeDeserializer(),
            KafkaIngressStartupPosition.FromGroupOffsets(),
            KafkaIngressAutoResetPosition.Earliest,
            properties,
            null);
        var inbox = new KafkaIngress<Envelope>(spec, new EnvelopeSink(dispatcher, unfinished), logger, checkpoint: checkpoint, poll: AnswerPoll);
        logger.LogInformation(
            "function host {Host}: serving {Functions} at {Url}; inbox {Inbox}, changelog {Changelog}, {Partitions} partitions on {Address}, {Semantic}",
            host.Id,
            endpoint.Functions,
            endpoint.UrlPathTemplate,
            host.InboxTopic,
            host.ChangelogTopic,
            host.Partitions,
            host.Address,
            host.ExactlyOnce ? "exactly-once" : "at-least-once");
        return new FunctionHostPipeline(host, inbox, producer, dispatcher, httpClient, effects, state, stores);
    }

    public Task RunAsync(CancellationToken cancellationToken) => _inbox.RunAsync(cancellationToken);

    public void Dispose()
    {
        Metrics.FailingAddressRegistry.Remove(Host.Id);
        _inbox.Dispose();
        _dispatcher.Dispose();
        _client?.Dispose();
        _effects.Dispose();
        _producer.Dispose();
        _state.Dispose();
        _stores.Dispose();
    }
}
