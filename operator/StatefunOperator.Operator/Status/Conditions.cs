using StatefunOperator.Crds.Common;

namespace StatefunOperator.Operator.Status;

/// <summary>Condition helpers shaped after apimachinery's meta.SetStatusCondition. Pure.</summary>
public static class Conditions
{
    /// <summary>
    /// Returns the conditions with <paramref name="desired"/> set: the last transition time is kept when the
    /// status did not change, so re-applying the same status changes nothing.
    /// </summary>
    public static List<StatusCondition> Set(IReadOnlyList<StatusCondition>? existing, StatusCondition desired)
    {
        var result = (existing ?? []).Where(c => c.Type != desired.Type).ToList();
        var previous = existing?.FirstOrDefault(c => c.Type == desired.Type);
        result.Add(previous is not null && previous.Status == desired.Status
            ? desired with { LastTransitionTime = previous.LastTransitionTime }
            : desired);
        return result.OrderBy(c => c.Type, StringComparer.Ordinal).ToList();
    }

    /// <summary>Returns the conditions without the one of <paramref name="type"/> (server-side apply then removes it, as this operator owns it).</summary>
    public static List<StatusCondition> Remove(IReadOnlyList<StatusCondition>? existing, string type) =>
        (existing ?? []).Where(c => c.Type != type).ToList();

    /// <summary>A condition as this operator writes it: observed at <paramref name="generation"/>, changed at <paramref name="now"/>.</summary>
    public static StatusCondition Create(string type, string status, string reason, string message, long? generation, DateTime now) => new()
    {
        Type = type,
        Status = status,
        Reason = reason,
        Message = message,
        ObservedGeneration = generation,
        LastTransitionTime = now,
    };

    public static StatusCondition? Find(IReadOnlyList<StatusCondition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>Truncates to whole seconds, as the API server stores metav1.Time.</summary>
    public static DateTime Now(TimeProvider clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }
}
