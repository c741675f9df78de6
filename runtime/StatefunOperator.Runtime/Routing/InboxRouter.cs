using Google.Protobuf;
using StatefunOperator.Module.Validation;
using StatefunOperator.Runtime.Egress;
using StatefunOperator.Runtime.Functions;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.Routing;

/// <summary>
/// Where a message for a function address goes: the inbox topic of the host serving the address's type
/// (an exact endpoint wins over a namespace wildcard), in the partition its key hashes to. Pure.
/// </summary>
public sealed class InboxRouter
{
    private readonly IReadOnlyList<FunctionEndpoint> _endpoints;

    public InboxRouter(IReadOnlyList<FunctionEndpoint> endpoints)
    {
        _endpoints = endpoints;
    }

    /// <summary>The host serving <paramref name="target"/>'s type; throws naming the type when none does or it has no cluster.</summary>
    public FunctionHostSettings HostOf(FunctionAddress target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var endpoint = FunctionEndpoints.Resolve(_endpoints, target.Type)
            ?? throw new InvalidOperationException($"no endpoint serves function type '{target.Type}' (message for {target})");
        return endpoint.Host ?? throw new InvalidOperationException(endpoint.HostProblem ?? $"endpoint {endpoint.Functions} has no function host");
    }

    /// <summary>The inbox record of a message for <paramref name="target"/>.</summary>
    public KafkaEgressRecord Route(FunctionAddress target, FunctionAddress? caller, TypedValue argument)
    {
        var host = HostOf(target);
        var key = AddressKey.Of(target);
        var envelope = new Envelope { Target = target.ToProto(), Caller = caller?.ToProto(), Argument = argument };
        return new KafkaEgressRecord(host.InboxTopic, key, envelope.ToByteArray(), Partition: InboxPartitioner.Partition(key, host.Partitions));
    }
}
