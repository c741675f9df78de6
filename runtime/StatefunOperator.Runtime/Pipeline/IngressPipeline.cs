using Microsoft.Extensions.Logging;
using StatefunOperator.Runtime.Configuration;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Module;
using StatefunOperator.Runtime.Hosting;
using StatefunOperator.Runtime.Ingress;
using StatefunOperator.Runtime.Routing;
using StatefunOperator.Module.Validation;

namespace StatefunOperator.Runtime.Pipeline;

/// <summary>
/// One ingress of a module with everything behind it: the sink (forwarding to an egress and/or, for
/// function targets, envelopes to the inboxes of the function hosts) and the checkpoint that matches the
/// delivery semantic of what it writes (the forwarding egress, else the hosts': exactly-once by default).
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

    /// <summary>What the pipeline writes to: the forwarding egress, or the function hosts' cluster (as an egress).</summary>
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
        var topics = ((RoutableMessageDeserializer)spec.Deserializer).Topics;
        var forwards = topics.Where(t => t.ForwardEgress is not null).ToArray();
        // Route to the function hosts when the module says where the functions are (and no sink was given in their place).
        var routesToFunctions = functionSink is null && module.Endpoints.Count > 0 && topics.Any(t => t.Targets.Count > 0);
        functionSink ??= new LoggingSink(spec.Id.ToString(), logger);
        var forwardEgress = forwards.Length > 0 ? module.Egresses.Single(e => e.Id == forwards[0].ForwardEgress) : null;
        var hosts = routesToFunctions ? TargetHosts(spec, topics, module) : null;
        var egress = forwardEgress ?? hosts;
        if (egress is null)
        {
            return new IngressPipeline(new KafkaIngress<RoutableMessage>(spec, functionSink, logger), null, null);
        }

        if (hosts is not null && forwardEgress is not null
            && IngressClusters.Problem((forwardEgress.Id.ToString(), forwardEgress.Address), [(hosts.Id.ToString(), hosts.Address)]) is { } clusters)
        {
            throw new InvalidOperationException($"ingress {spec.Id}: {clusters}");
        }

        var config = ProducerConfigFactory.Create(egress, ProducerConfigFactory.TransactionalId(spec.Id.ToString(), egress.Id.ToString(), instanceId));
        var producer = new KafkaEgressProducer(config, logger);
        var failures = new DeliveryFailures();
        ICheckpoint checkpoint = egress.Semantic switch
        {
            KafkaProducerSemantic.ExactlyOnce => new TransactionalCheckpoint(producer, options, logger, egress),
            KafkaProducerSemantic.AtLeastOnce => new CommitCheckpoint(producer, failures, options, logger),
            _ => new CommitCheckpoint(null, null, options, logger),
        };

        if (hosts is not null)
        {
            functionSink = new InboxSink(new InboxRouter(module.Endpoints), producer, failures.Record);
            logger.LogInformation(
                "ingress {Ingress}: function targets go to the inboxes of their hosts ({Hosts}) on {Address}, {Semantic}",
                spec.Id,
                string.Join(", ", module.Endpoints.Where(e => e.Host is not null).Select(e => $"{e.Functions} -> {e.Host!.InboxTopic}")),
                hosts.Address,
                KafkaProducerSemantics.Name(egress.Semantic));
        }

        IIngressSink<RoutableMessage> sink = functionSink;
        if (forwards.Length > 0)
        {
            sink = new ForwardingSink(forwards.ToDictionary(t => t.Topic, t => t.ForwardTopic ?? t.Topic, StringComparer.Ordinal), producer, failures, functionSink);
            logger.LogInformation(
                "ingress {Ingress}: forwarding {Topics} to egress {Egress} ({Semantic})",
                spec.Id,
                string.Join(", ", forwards.Select(f => $"{f.Topic} -> {f.ForwardTopic}")),
                egress.Id,
                KafkaProducerSemantics.Name(egress.Semantic));
        }

        return new IngressPipeline(new KafkaIngress<RoutableMessage>(spec, sink, logger, checkpoint: checkpoint), producer, egress);
    }

    public Task RunAsync(CancellationToken cancellationToken) => Ingress.RunAsync(cancellationToken);

    public void Dispose()
    {
        Ingress.Dispose();
        _producer?.Dispose();
    }

    /// <summary>
    /// The function hosts of the ingress's targets, as the egress the envelopes go through: their cluster,
    /// exactly-once when every host is (else at-least-once). Throws naming the target when a host is
    /// missing or the hosts are on different clusters.
    /// </summary>
    private static KafkaEgressOptions TargetHosts(KafkaIngressSpec<RoutableMessage> spec, IReadOnlyList<KafkaIngressTopic> topics, ModuleConfiguration module)
    {
        var router = new InboxRouter(module.Endpoints);
        var hosts = topics.SelectMany(t => t.Targets)
            .Distinct()
            .Select(router.HostOf)
            .DistinctBy(h => h.Id)
            .ToList();
        if (IngressClusters.Problem(null, hosts.Select(h => (h.Id, h.Address)).ToList()) is { } clusters)
        {
            throw new InvalidOperationException($"ingress {spec.Id}: {clusters}");
        }

        var first = hosts[0];
        return new KafkaEgressOptions(
            TypeName.Parse(first.Id),
            first.Address,
            hosts.All(h => h.ExactlyOnce) ? KafkaProducerSemantic.ExactlyOnce : KafkaProducerSemantic.AtLeastOnce,
            hosts.Min(h => h.TransactionTimeout),
            first.PropertyMap());
    }
}
