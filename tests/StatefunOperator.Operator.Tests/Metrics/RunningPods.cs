using k8s;
using k8s.Models;
using StatefunOperator.Operator.Desired;

namespace StatefunOperator.Operator.Tests.Metrics;

/// <summary>
/// What the kubelet would report for a workload's pod (there is none here): created from the pod template with
/// its labels, Running at 127.0.0.1, its <c>health</c> port where a stand-in for the runtime's <c>/status</c> listens.
/// </summary>
internal static class RunningPods
{
    public static async Task CreateAsync(IKubernetes client, string ns, string name, V1PodTemplateSpec template, int healthPort)
    {
        var container = template.Spec.Containers.Single(c => c.Name == WorkloadNames.ContainerName);
        container.Ports = [new V1ContainerPort { Name = "health", ContainerPort = healthPort, Protocol = "TCP" }];
        container.LivenessProbe = null;
        container.ReadinessProbe = null;
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = template.Metadata.Labels },
            Spec = new V1PodSpec { Containers = [container], Volumes = template.Spec.Volumes },
        };
        await client.CoreV1.CreateNamespacedPodAsync(pod, ns);
        var status = new V1Patch(
            new { status = new { phase = "Running", podIP = "127.0.0.1", podIPs = new[] { new { ip = "127.0.0.1" } } } },
            V1Patch.PatchType.MergePatch);
        await client.CoreV1.PatchNamespacedPodStatusAsync(status, name, ns);
    }
}
