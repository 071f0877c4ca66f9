import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';
import { PERMISSIONS } from '../api';
import { OverviewPage } from './OverviewPage';
import { ScannerPage } from './ScannerPage';

const App = () => (
  <Page.Protect permissions={PERMISSIONS.checkIn}>
    <Routes>
      <Route index element={<ScannerPage />} />
      <Route
        path="overview"
        element={
          <Page.Protect permissions={PERMISSIONS.stats}>
            <OverviewPage />
          </Page.Protect>
        }
      />
    </Routes>
  </Page.Protect>
);

export default App;
