import type { Metadata } from "next";
import "./globals.css";

// As create-next-app writes it, without next/font/google: the build fetches no fonts from the network.
export const metadata: Metadata = {
  title: "Example Hosting",
  description: "A marketing site with the platform status card",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" className="h-full antialiased">
      <body className="min-h-full flex flex-col">{children}</body>
    </html>
  );
}
