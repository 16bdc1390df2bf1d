using Pagebox.Server.Cli;

return await ServeCommand.RunAsync(args);
