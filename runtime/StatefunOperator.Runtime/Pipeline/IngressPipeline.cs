using Microsoft.Extensions.Logging;
using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.Egress;
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

    private IngressPipeline(KafkaIngress<RoutableMessage> ingress, IEgressProducer? producer, KafkaEgressOptions? egress)
    {
        Ingress = ingress;
        _producer = producer;
        Egress = egress;
    }

    public KafkaIngress<RoutableMessage> Ingress { get; }

    public KafkaEgressOptions? Egress { get; }

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
        functionSink ??= new LoggingSink(spec.Id.ToString(), logger);
        var topics = ((RoutableMessageDeserializer)spec.Deserializer).Topics;
        var forwards = topics.Where(t => t.ForwardEgress is not null).ToArray();
        if (forwards.Length == 0)
        {
            return new IngressPipeline(new KafkaIngress<RoutableMessage>(spec, functionSink, logger), null, null);
        }

        var egress = module.Egresses.Single(e => e.Id == forwards[0].ForwardEgress);
        var config = ProducerConfigFactory.Create(egress, ProducerConfigFactory.TransactionalId(spec.Id.ToString(), egress.Id.ToString(), instanceId));
        var producer = new KafkaEgressProducer(config, logger);
        var failures = new DeliveryFailures();
        ICheckpoint checkpoint = egress.Semantic switch
        {
            KafkaProducerSemantic.ExactlyOnce => new TransactionalCheckpoint(producer, options, logger),
            KafkaProducerSemantic.AtLeastOnce => new CommitCheckpoint(producer, failures, options, logger),
            _ => new CommitCheckpoint(null, null, options, logger),
        };
        var sink = new ForwardingSink(forwards.ToDictionary(t => t.Topic, t => t.ForwardTopic ?? t.Topic, StringComparer.Ordinal), producer, failures, functionSink);
        logger.LogInformation(
            "ingress {Ingress}: forwarding {Topics} to egress {Egress} ({Semantic})",
            spec.Id,
            string.Join(", ", forwards.Select(f => $"{f.Topic} -> {f.ForwardTopic}")),
            egress.Id,
            KafkaEgressValidator.Name(egress.Semantic));
        return new IngressPipeline(new KafkaIngress<RoutableMessage>(spec, sink, logger, checkpoint: checkpoint), producer, egress);
    }

    public Task RunAsync(CancellationToken cancellationToken) => Ingress.RunAsync(cancellationToken);

    public void Dispose()
    {
        Ingress.Dispose();
        _producer?.Dispose();
    }
}
