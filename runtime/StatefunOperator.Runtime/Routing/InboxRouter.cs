using Google.Protobuf;
using StatefunOperator.Module;
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

    /// <summary>Whether every function host this router knows keeps its inbox on <paramref name="address"/>.</summary>
    public bool AllOn(string address) => _endpoints.All(e => e.Host is null || e.Host.Address == address);

    /// <summary>The host serving a function type; throws naming the type when none does or it has no cluster.</summary>
    public FunctionHostSettings HostOf(TypeName functionType)
    {
        ArgumentNullException.ThrowIfNull(functionType);
        var endpoint = FunctionEndpoints.Resolve(_endpoints, functionType)
            ?? throw new InvalidOperationException($"no endpoint serves function type '{functionType}'");
        return endpoint.Host ?? throw new InvalidOperationException(endpoint.HostProblem ?? $"endpoint {endpoint.Functions} has no function host");
    }

    /// <summary>The inbox record of a message for <paramref name="target"/>.</summary>
    public KafkaEgressRecord Route(FunctionAddress target, FunctionAddress? caller, TypedValue argument)
    {
        ArgumentNullException.ThrowIfNull(target);
        return Route(HostOf(target.Type), target, caller, argument);
    }

    /// <summary>The inbox record of a message for <paramref name="target"/>, served by <paramref name="host"/>.</summary>
    public static KafkaEgressRecord Route(FunctionHostSettings host, FunctionAddress target, FunctionAddress? caller, TypedValue argument)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(target);
        var key = AddressKey.Of(target);
        var envelope = new Envelope { Target = target.ToProto(), Caller = caller?.ToProto(), Argument = argument };
        return new KafkaEgressRecord(host.InboxTopic, key, envelope.ToByteArray(), Partition: InboxPartitioner.Partition(key, host.Partitions));
    }
}
