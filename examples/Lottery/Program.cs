using Lottery.Hosting;

// The red-envelope lottery. With no role it runs the whole system in this process (every part in its own Toolkit
// service over loopback TCP) on in-process defaults for one minute, prints the report, writes the HTML page, and exits
// with 0 only when every invariant holds. The other roles run one part each as its own process, on Redis and PostgreSQL.
CommandLine command;
try
{
    command = new CommandLine(args);
}
catch (ArgumentException error)
{
    return Roles.Usage(error.Message);
}

return command.Role switch
{
    "simulate" => await Roles.SimulateAsync(command),
    "access" => await Roles.AccessAsync(command),
    "node" => await Roles.NodeAsync(command),
    "recover" => await Roles.RecoverAsync(command),
    "delivery" => await Roles.DeliveryAsync(command),
    "loadgen" => await Roles.LoadGenAsync(command),
    "reconcile" => await Roles.ReconcileAsync(command),
    _ => Roles.Usage($"unknown role '{command.Role}'"),
};
