using Microsoft.Extensions.Logging;
using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Hosting;
using StatefunOperator.Runtime.Ingress;

namespace StatefunOperator.Runtime.Pipeline;

/// <summary>
/// One ingress of a module with everything behind it: the sink (forwarding to an egress and/or to
/// the function targets) and the checkpoint that matches the egress's delivery semantic.
/// </summary>
public sealed class IngressPipeline : IDisposable
{
    private readonly IEgressProducer? _producer;
    private readonly FunctionDispatcher? _dispatcher;
    private readonly HttpFunctionClient? _functionClient;

    private IngressPipeline(
        KafkaIngress<RoutableMessage> ingress,
        IEgressProducer? producer,
        KafkaEgressOptions? egress,
        FunctionDispatcher? dispatcher = null,
        HttpFunctionClient? functionClient = null)
    {
        Ingress = ingress;
        _producer = producer;
        Egress = egress;
        _dispatcher = dispatcher;
        _functionClient = functionClient;
    }

    public KafkaIngress<RoutableMessage> Ingress { get; }

    public KafkaEgressOptions? Egress { get; }

    /// <summary>The function dispatcher, when the ingress routes records to functions served by the module's endpoints.</summary>
    public FunctionDispatcher? Functions => _dispatcher;

    public static IngressPipeline Create(
        KafkaIngressSpec<RoutableMessage> spec,
        ModuleConfiguration module,
        string instanceId,
        ILogger logger,
        CheckpointOptions? checkpointOptions = null,
        IIngressSink<RoutableMessage>? functionSink = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(module);
        var options = checkpointOptions ?? CheckpointOptions.Default;
        var topics = ((RoutableMessageDeserializer)spec.Deserializer).Topics;
        var forwards = topics.Where(t => t.ForwardEgress is not null).ToArray();
        // Invoke functions when the module says where they are (and no sink was given in their place).
        var invokesFunctions = functionSink is null && module.Endpoints.Count > 0 && topics.Any(t => t.Targets.Count > 0);
        functionSink ??= new LoggingSink(spec.Id.ToString(), logger);
        var egress = forwards.Length > 0
            ? module.Egresses.Single(e => e.Id == forwards[0].ForwardEgress)
            : invokesFunctions ? FunctionsEgress(module) : null;
        if (egress is null && !invokesFunctions)
        {
            return new IngressPipeline(new KafkaIngress<RoutableMessage>(spec, functionSink, logger), null, null);
        }

        IEgressProducer? producer = null;
        var failures = new DeliveryFailures();
        ICheckpoint checkpoint = new CommitCheckpoint(null, null, options, logger);
        if (egress is not null)
        {
            var config = ProducerConfigFactory.Create(egress, ProducerConfigFactory.TransactionalId(spec.Id.ToString(), egress.Id.ToString(), instanceId));
            producer = new KafkaEgressProducer(config, logger);
            checkpoint = egress.Semantic switch
            {
                KafkaProducerSemantic.ExactlyOnce => new TransactionalCheckpoint(producer, options, logger, egress),
                KafkaProducerSemantic.AtLeastOnce => new CommitCheckpoint(producer, failures, options, logger),
                _ => checkpoint,
            };
        }

        FunctionDispatcher? dispatcher = null;
        HttpFunctionClient? client = null;
        if (invokesFunctions)
        {
            client = new HttpFunctionClient();
            var functionEgress = producer is null ? null : new KafkaFunctionEgress(egress!.Id, producer, failures.Record);
            dispatcher = new FunctionDispatcher(module.Endpoints, client, functionEgress, logger);
            functionSink = new FunctionDispatchSink(dispatcher, DispatchOptions.Default.MaxOutstanding);
            // The commit waits for the functions: see DispatcherDrainingCheckpoint.
            checkpoint = new DispatcherDrainingCheckpoint(checkpoint, dispatcher, options, logger);
            logger.LogInformation(
                "ingress {Ingress}: invoking functions at {Endpoints}; their egress messages go to {Egress}",
                spec.Id,
                string.Join(", ", module.Endpoints.Select(e => $"{e.Functions} -> {e.UrlPathTemplate}")),
                egress is null ? "nowhere (the module declares no egress)" : $"egress {egress.Id} ({KafkaProducerSemantics.Name(egress.Semantic)})");
        }

        IIngressSink<RoutableMessage> sink = functionSink;
        if (forwards.Length > 0)
        {
            sink = new ForwardingSink(forwards.ToDictionary(t => t.Topic, t => t.ForwardTopic ?? t.Topic, StringComparer.Ordinal), producer!, failures, functionSink);
            logger.LogInformation(
                "ingress {Ingress}: forwarding {Topics} to egress {Egress} ({Semantic})",
                spec.Id,
                string.Join(", ", forwards.Select(f => $"{f.Topic} -> {f.ForwardTopic}")),
                egress!.Id,
                KafkaProducerSemantics.Name(egress.Semantic));
        }

        return new IngressPipeline(new KafkaIngress<RoutableMessage>(spec, sink, logger, checkpoint: checkpoint), producer, egress, dispatcher, client);
    }

    public Task RunAsync(CancellationToken cancellationToken) => Ingress.RunAsync(cancellationToken);

    public void Dispose()
    {
        Ingress.Dispose();
        _dispatcher?.Dispose();
        _functionClient?.Dispose();
        _producer?.Dispose();
    }

    /// <summary>
    /// The egress functions of a non-forwarding ingress write to: the module's only egress, or the first
    /// declared (one ingress writes to one egress: its records and offsets commit together).
    /// </summary>
    private static KafkaEgressOptions? FunctionsEgress(ModuleConfiguration module) => module.Egresses.Count > 0 ? module.Egresses[0] : null;
}
