using StatefunOperator.Crds.Endpoints;

namespace StatefunOperator.Operator.Desired;

/// <summary>
/// The partition count of a function host's internal topics. Once the host exists it is the value applied then
/// (kept in <c>status.partitions</c>): a later change of <c>spec.partitions</c> is refused, and every module
/// naming the host (its own, other hosts', ingresses') keeps the applied value. Pure.
/// </summary>
public static class HostPartitions
{
    public static int Requested(FunctionEndpoint endpoint) => endpoint.Spec.Partitions ?? FunctionEndpointSpec.DefaultPartitions;

    public static int Applied(FunctionEndpoint endpoint) => endpoint.Status?.Partitions ?? Requested(endpoint);

    /// <summary>True when the host exists and <c>spec.partitions</c> asks for another count than it has.</summary>
    public static bool ChangeRequested(FunctionEndpoint endpoint) =>
        endpoint.Status?.Partitions is { } applied && applied != Requested(endpoint);

    public static string RefusalMessage(FunctionEndpoint endpoint) =>
        $"cannot change from {Applied(endpoint)} to {Requested(endpoint)}: the function host exists and its inbox and changelog topics have {Applied(endpoint)} partitions (state is placed by partition); set it back to {Applied(endpoint)}, or delete and recreate the FunctionEndpoint with new topics";
}
