using k8s.Models;

namespace StatefunOperator.Operator.Desired;

/// <summary>
/// What Secret-held Kafka credentials become: Kafka properties that reference <c>${ENV}</c> placeholders
/// and files, plus the env vars, volumes and mounts of the pod that provide them.
/// </summary>
public sealed record RenderedCredentials(
    IReadOnlyDictionary<string, string> Properties,
    IReadOnlyList<V1EnvVar> Env,
    IReadOnlyList<V1Volume> Volumes,
    IReadOnlyList<V1VolumeMount> Mounts)
{
    public static RenderedCredentials None { get; } = new(new Dictionary<string, string>(), [], [], []);
}
