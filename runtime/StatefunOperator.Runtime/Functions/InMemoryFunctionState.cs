using System.Collections.Concurrent;
using Google.Protobuf;
using StatefunOperator.Runtime.Protocol;

namespace StatefunOperator.Runtime.Functions;

/// <summary>Function state in this process's memory only (no expiration, lost on restart): for tests and embedding.</summary>
public sealed class InMemoryFunctionState : IFunctionState
{
    private readonly ConcurrentDictionary<FunctionAddress, Dictionary<string, RegisteredState>> _state = new();

    public IReadOnlyList<ToFunction.Types.PersistedValue> Read(FunctionAddress address)
    {
        var state = StateOf(address);
        lock (state)
        {
            return state.OrderBy(s => s.Key, StringComparer.Ordinal)
                .Select(s => new ToFunction.Types.PersistedValue
                {
                    StateName = s.Key,
                    StateValue = s.Value.Value ?? new TypedValue { Typename = s.Value.TypeName, HasValue = false },
                })
                .ToList();
        }
    }

    public void Register(FunctionAddress address, IReadOnlyList<FromFunction.Types.PersistedValueSpec> specs)
    {
        var state = StateOf(address);
        lock (state)
        {
            foreach (var spec in specs)
            {
                state.TryAdd(spec.StateName, new RegisteredState(spec.TypeTypename, null));
            }
        }
    }

    public void Apply(FunctionAddress address, IReadOnlyList<FromFunction.Types.PersistedValueMutation> mutations)
    {
        var state = StateOf(address);
        lock (state)
        {
            foreach (var mutation in mutations)
            {
                var typeName = state.TryGetValue(mutation.StateName, out var known) ? known.TypeName : mutation.StateValue?.Typename ?? string.Empty;
                state[mutation.StateName] = mutation.MutationType == FromFunction.Types.PersistedValueMutation.Types.MutationType.Modify
                    ? new RegisteredState(typeName, mutation.StateValue)
                    : new RegisteredState(typeName, null);
            }
        }
    }

    /// <summary>The address's current values (name -> bytes; absent values left out).</summary>
    public IReadOnlyDictionary<string, ByteString> ValuesOf(FunctionAddress address)
    {
        var state = StateOf(address);
        lock (state)
        {
            return state.Where(s => s.Value.Value is { HasValue: true }).ToDictionary(s => s.Key, s => s.Value.Value!.Value, StringComparer.Ordinal);
        }
    }

    private Dictionary<string, RegisteredState> StateOf(FunctionAddress address) =>
        _state.GetOrAdd(address, _ => new Dictionary<string, RegisteredState>(StringComparer.Ordinal));
}
