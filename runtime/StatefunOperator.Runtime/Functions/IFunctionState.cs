using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.Functions;

/// <summary>
/// Where the dispatcher keeps function state. For one address, called by one call or answer at a time (one
/// request in flight per address, its answer applied before its next call); concurrently for different addresses.
/// </summary>
public interface IFunctionState
{
    /// <summary>The values the address's function declared, current values included (absent ones with no value), ordered by name.</summary>
    IReadOnlyList<ToFunction.Types.PersistedValue> Read(FunctionAddress address);

    /// <summary>The function asked for these values (incomplete invocation context): register them.</summary>
    void Register(FunctionAddress address, IReadOnlyList<FromFunction.Types.PersistedValueSpec> specs);

    /// <summary>The address was invoked and answered with these mutations.</summary>
    void Apply(FunctionAddress address, IReadOnlyList<FromFunction.Types.PersistedValueMutation> mutations);
}
