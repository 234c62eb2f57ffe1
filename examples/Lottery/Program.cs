using Lottery.Hosting;

// The red-envelope lottery. With no role it runs the whole system in this process (every part in its own Toolkit
// service over loopback TCP) on in-process defaults for one minute, prints the report, writes the HTML page, and exits
// with 0 only when every invariant holds. The other roles run one part each as its own process, on Redis and PostgreSQL.
CommandLine command = new(args);
return command.Role switch
{
    "simulate" => await Roles.SimulateAsync(command),
    "access" => Roles.Usage("not yet"),
    "node" => Roles.Usage("not yet"),
    "recover" => Roles.Usage("not yet"),
    "delivery" => Roles.Usage("not yet"),
    "loadgen" => Roles.Usage("not yet"),
    "reconcile" => Roles.Usage("not yet"),
    _ => Roles.Usage($"unknown role '{command.Role}'"),
};
