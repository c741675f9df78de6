using StatefunOperator.Runtime.Functions;

namespace StatefunOperator.Runtime.FunctionHost;

/// <summary>
/// The messages a function host read from its inbox since the last commit boundary. At a boundary, those not applied
/// yet become pending changelog entries (<see cref="HostFunctionState.Persist"/>) in the same commit as the inbox
/// offsets that pass them; those applied need nothing. Consumer thread only.
/// </summary>
internal sealed class UnfinishedMessages
{
    private List<PendingInvocation> _since = [];

    public void Add(PendingInvocation message) => _since.Add(message);

    /// <summary>Writes the unapplied messages read since the last boundary as pending; returns how many.</summary>
    public int PersistUnapplied(HostFunctionState state)
    {
        var persisted = 0;
        foreach (var message in _since)
        {
            if (state.Persist(message))
            {
                persisted++;
            }
        }

        _since = [];
        return persisted;
    }

    /// <summary>The host rewound to its last commit: these messages will be read again.</summary>
    public void Clear() => _since = [];

    /// <summary>The host gave these partitions up: their messages are the next owner's.</summary>
    public void Forget(IReadOnlySet<int> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        _since.RemoveAll(m => m.Origin is { } origin && partitions.Contains(origin.Partition));
    }
}
