using k8s;
using StatefunOperator.LocalRunner;

// statefun-local-runner: A DEVELOPMENT TOOL, not part of the product. There is no kubelet on a
// developer machine, so this stands in for one: it watches the Deployments and StatefulSets the operator
// manages, runs each Deployment as ONE local runtime process and each StatefulSet as `replicas` processes
// named <statefulset>-<i> (POD_NAME / STATEFUN_INSTANCE_ID), with exactly the module file (ConfigMap), args
// and environment the pod would get; restarts a process when the config hash changes or it dies, starts or
// stops the highest ordinals on scaling, stops them when the workload goes, and reports readiness back in
// the workload's status the way a node would. The operator's Jobs run too, an attempt per process, their
// status written as the Job controller would. The operator knows nothing about it.
//   statefun-local-runner --kubeconfig PATH --runtime PATH/statefun-runtime.dll [--state-dir DIR]
var options = RunnerOptions.Parse(args);
var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig);
using var client = StatefunOperator.Operator.Hosting.KubernetesClients.Create(config);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, e =>
{
    e.Cancel = true;
    stop.Cancel();
});

using var runner = new LocalWorkloadRunner(client, options);
Console.WriteLine("statefun-local-runner: a development stand-in for a kubelet; runs operator-managed Deployments, StatefulSets and Jobs as local processes");
await runner.RunAsync(stop.Token).ConfigureAwait(false);
return 0;
