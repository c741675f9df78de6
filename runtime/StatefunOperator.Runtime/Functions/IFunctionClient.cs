using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.Functions;

/// <summary>Sends one batch request to a remote function and returns its answer; throws <see cref="FunctionCallException"/> on failure.</summary>
public interface IFunctionClient
{
    Task<FromFunction> InvokeAsync(FunctionEndpoint endpoint, FunctionAddress target, ToFunction request, CancellationToken cancellationToken);
}
