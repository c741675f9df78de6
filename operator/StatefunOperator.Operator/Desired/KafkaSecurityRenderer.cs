using k8s.Models;
using StatefunOperator.Crds.Common;

namespace StatefunOperator.Operator.Desired;

/// <summary>Renders Secret references into env vars, a mounted CA file and Kafka properties. Pure.</summary>
public static class KafkaSecurityRenderer
{
    public const string TlsRoot = WorkloadNames.ModuleDirectory + "/tls";

    /// <param name="security">The resource's security block (null: plaintext, no auth).</param>
    /// <param name="role">Unique per pod, e.g. <c>ingress</c> or <c>egress-0</c>; names env vars, volume and mount.</param>
    public static RenderedCredentials Render(KafkaSecurity? security, string role)
    {
        if (security?.Sasl is null && security?.Tls is null)
        {
            return RenderedCredentials.None;
        }

        var envPrefix = "STATEFUN_" + role.ToUpperInvariant().Replace('-', '_');
        var properties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["security.protocol"] = (security.Sasl, security.Tls) switch
            {
                (not null, not null) => "SASL_SSL",
                (not null, null) => "SASL_PLAINTEXT",
                _ => "SSL",
            },
        };
        var env = new List<V1EnvVar>();
        var volumes = new List<V1Volume>();
        var mounts = new List<V1VolumeMount>();

        if (security.Sasl is { } sasl)
        {
            var usernameVariable = envPrefix + "_SASL_USERNAME";
            var passwordVariable = envPrefix + "_SASL_PASSWORD";
            properties["sasl.mechanism"] = sasl.Mechanism ?? "PLAIN";
            properties["sasl.username"] = "${" + usernameVariable + "}";
            properties["sasl.password"] = "${" + passwordVariable + "}";
            env.Add(SecretEnv(usernameVariable, sasl.UsernameSecret));
            env.Add(SecretEnv(passwordVariable, sasl.PasswordSecret));
        }

        if (security.Tls?.CaSecret is { } ca)
        {
            var volumeName = role + "-tls-ca";
            var directory = $"{TlsRoot}/{role}";
            volumes.Add(new V1Volume
            {
                Name = volumeName,
                Secret = new V1SecretVolumeSource
                {
                    SecretName = ca.Name,
                    Items = [new V1KeyToPath { Key = ca.Key, Path = "ca.crt" }],
                },
            });
            mounts.Add(new V1VolumeMount { Name = volumeName, MountPath = directory, ReadOnlyProperty = true });
            properties["ssl.ca.location"] = directory + "/ca.crt";
        }

        return new RenderedCredentials(properties, env, volumes, mounts);
    }

    private static V1EnvVar SecretEnv(string name, SecretKeySelector selector) => new()
    {
        Name = name,
        ValueFrom = new V1EnvVarSource
        {
            SecretKeyRef = new V1SecretKeySelector { Name = selector.Name, Key = selector.Key },
        },
    };
}
